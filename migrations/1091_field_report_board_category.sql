-- The board's hardest view: a district-sized box (too large for the GiST condition) with a category. Newest first
-- over all public reports, about 1 row in 400 matches both, so some 40,000 index entries were read for one page
-- (45–65 ms over 200,000 reports). Newest first within the category, 1 row in 40 matches the box.
create index field_reports_board_category_idx on field_reports (category_code, created_at desc, id desc)
  where is_public and moderated_at is not null and state <> 'removed';
