import { NodeRole, jsonMessageCodec } from '../../cluster/index.ts';
import type { ClusterKind } from '../../cluster/index.ts';
import { PRINCIPAL_KIND, principalActor } from './principal-actor.ts';
import type { PrincipalActorOptions, PrincipalState } from './principal-actor.ts';
import { PRINCIPAL_MESSAGE_TYPES } from './principal-messages.ts';
import type { PrincipalMessage } from './principal-messages.ts';

/** The `principal` kind as the cluster registers it: hosted by gateway nodes, JSON messages. */
export function principalKind(
  options: PrincipalActorOptions = {},
): ClusterKind<PrincipalState, PrincipalMessage> {
  return {
    kind: {
      name: PRINCIPAL_KIND,
      roles: [NodeRole.gateway],
      keySegments: 1,
      description: 'principal/<userId>: an authenticated user or API key holder',
    },
    actor: principalActor(options),
    codec: jsonMessageCodec<PrincipalMessage>({ types: PRINCIPAL_MESSAGE_TYPES }),
  };
}
