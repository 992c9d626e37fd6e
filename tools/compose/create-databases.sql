-- Run once by the postgres image on an empty volume: one database per subgraph, never shared.
CREATE DATABASE accounts;
CREATE DATABASE catalog;
CREATE DATABASE inventory;
CREATE DATABASE orders;
CREATE DATABASE payments;
CREATE DATABASE reviews;
CREATE DATABASE notifications;
CREATE DATABASE alerting;
