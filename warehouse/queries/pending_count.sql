-- How many articles need extraction (facts missing or from another extractor version): 0 lets a run skip
-- the extraction step, and the loading of its models, altogether.
SELECT count(*) AS pending
FROM articles
WHERE extractor_version IS DISTINCT FROM $version
