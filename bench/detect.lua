-- wrk script: durable detect commands, each a new exemplar (the server
-- picks its id). The token comes from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("EXEMPLAR_TOKEN")
wrk.body = [[{"subject_kind":"household","name":"Hộ bà Nguyễn Thị Lan","unit_id":"kh","field":"production_business","summary":"Sản xuất kinh doanh giỏi","source":"branch_report","cultured_family":true}]]

done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
