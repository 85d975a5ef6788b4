-- Accounts a page at a time, oldest first (AccountService.activeAccounts, for `export users`).
CREATE INDEX ix_account_user_created ON account_user (created_at, id);
