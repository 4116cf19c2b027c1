INSERT INTO runs (run_id, flow, started_at, status, privnews_version, extractor_version)
VALUES ($run_id, $flow, now(), 'running', $privnews_version, $extractor_version)
