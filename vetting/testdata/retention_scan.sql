-- The daily scans as plain SQL (no seal check, no policy), beside BenchmarkDailyRetention.
SELECT count(*) FROM (SELECT c.* FROM vetting_cases c LEFT JOIN vetting_retention r ON r.case_id = c.id
 WHERE c.closed IS NOT NULL AND r.purged IS NULL AND (r.hold_review IS NULL OR r.hold_review <= 1795428000000000000)
 AND ((c.stage IN ('refused', 'withdrawn', 'closed_non_cooperation') AND c.closed <= 1779530400000000000)
  OR (c.stage = 'granted' AND c.closed <= 1637661600000000000 AND NOT EXISTS (SELECT 1 FROM assignments a
   WHERE a.person_id = c.person_id AND (a.valid_until IS NULL OR a.valid_until > 1637661600000000000))))
 ORDER BY c.closed, c.id LIMIT 100000);
SELECT count(*) FROM (SELECT c.* FROM clearances c
 WHERE c.holder_kind = 'person' AND c.status = 'active' AND c.expires >= 1795428000000000000
 AND (c.expires < 1827050400000000000 OR c.issued < 1511517600000000000 OR (c.level = 4 AND c.issued < 1669284000000000000))
 AND NOT EXISTS (SELECT 1 FROM clearances n WHERE n.person_id = c.person_id AND n.issued > c.issued));
