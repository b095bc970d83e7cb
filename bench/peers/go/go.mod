module satellite-bench-peer

go 1.19
