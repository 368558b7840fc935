DROP TABLE mail_replies_seen;
