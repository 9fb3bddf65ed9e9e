import { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** FIN + text opcode: a whole (unfragmented) text message. */
const FIN_TEXT = 0x81;

/**
 * A complete WebSocket text frame as a server sends it (RFC 6455 §5.2: unmasked, so the same bytes
 * go to every socket): built once per fan-out message and written to each socket as one buffer.
 */
export class TextFrame {
  /** Header and payload, as they go on the wire. */
  readonly wire: Buffer;
  /** The UTF-8 text alone (a view into `wire`). */
  readonly payload: Buffer;

  constructor(text: string) {
    const length = Buffer.byteLength(text, 'utf8');
    const header = length <= 125 ? 2 : length <= 0xffff ? 4 : 10;
    this.wire = Buffer.allocUnsafe(header + length);
    this.wire[0] = FIN_TEXT;
    if (header === 2) {
      this.wire[1] = length;
    } else if (header === 4) {
      this.wire[1] = 126;
      this.wire.writeUInt16BE(length, 2);
    } else {
      this.wire[1] = 127;
      this.wire.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
      this.wire.writeUInt32BE(length >>> 0, 6);
    }
    this.wire.write(text, header, 'utf8');
    this.payload = this.wire.subarray(header);
  }
}

/**
 * Sends prepared frames on one server-side WebSocket. ws has no public way to write bytes that are
 * already framed, and framing per socket (`ws.send`: a header per call, then a corked two-buffer
 * write) was the largest item of the fan-out's CPU profile; so, when that is safe, the frame goes
 * straight to the connection's socket in ONE write:
 * - no extension is negotiated (ws queues in its Sender only to compress, permessage-deflate, or to
 *   read Blob data; the gateway sends no Blob), so a direct write keeps its order with `ws.send`;
 * - the socket is ws's own (`_socket`, private: checked to be a net.Socket, else `ws.send`);
 * - only while the connection is OPEN (after a close frame nothing more may be sent; ws drops those
 *   sends too), and socket errors reach ws's own handlers, which close the connection.
 * `ws.bufferedAmount` counts what the socket buffers, so backpressure reads the same either way.
 */
export class FrameWriter {
  private readonly socket: Socket | undefined;

  constructor(private readonly ws: WebSocket) {
    this.socket = ws.extensions === '' ? socketOf(ws) : undefined;
  }

  /** Whether frames bypass ws's Sender (false: they go through `ws.send`). */
  get direct(): boolean {
    return this.socket !== undefined;
  }

  send(frame: TextFrame): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.socket !== undefined) this.socket.write(frame.wire);
    else this.ws.send(frame.payload, { binary: false });
  }
}

function socketOf(ws: WebSocket): Socket | undefined {
  // ws keeps its socket in a private field; anything else than a net.Socket there means a ws
  // version that works differently, and frames then go through ws.send.
  const socket: unknown = (ws as unknown as { readonly _socket?: unknown })._socket;
  return socket instanceof Socket ? socket : undefined;
}
