DROP TABLE goals_reached;
--bun:split
DROP TABLE overview_visits;
