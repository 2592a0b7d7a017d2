#!/bin/sh
curl -fsS https://deploy:Hx7Wq2Lm9Rv4@artifacts.corp.internal/release.tgz -o r.tgz # want "Password in https URL"
lftp ftp://deploy:Hx7Wq2Lm9Rv4@127.0.0.1/upload # want "ftp URL"
