UPDATE runs SET finished_at = now(), status = $status, counts = $counts, error = $error
WHERE run_id = $run_id
