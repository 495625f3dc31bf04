-- Lead search (`GET /leads?q=`) matches a substring of the name, email or company. A
-- trigram index serves such `ILIKE '%…%'` patterns (of three characters or more) without
-- reading every lead of the organisation. The indexed expression must stay identical to
-- the one the leads repository searches.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX leads_search_trgm ON leads USING gin (
  (coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || email || ' ' || coalesce(company, ''))
  gin_trgm_ops
);
