module signet.dev/e2e/kstatus

go 1.26.8
