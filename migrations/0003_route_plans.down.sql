-- Reverts 0003_route_plans.

DROP TABLE route_plans;
