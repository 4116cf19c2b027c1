-- Runs still marked running when a new run starts were killed (the run lock admits one run at a time).
UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, now()),
       error = coalesce(error, 'process ended without recording an outcome (killed?)')
WHERE status = 'running'
