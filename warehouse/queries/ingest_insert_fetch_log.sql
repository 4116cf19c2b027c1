-- Every HTTP attempt of a run, from the registered Arrow table incoming_fetch_log.
INSERT INTO fetch_log BY NAME (SELECT * FROM incoming_fetch_log)
