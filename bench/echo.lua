-- wrk script: POST /echo with a 1 KB JSON object (the JSON echo scenario of bench/run.sh)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"payload":"' .. string.rep("x", 1008) .. '"}'
