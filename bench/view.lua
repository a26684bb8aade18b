-- wrk script: exemplar-view queries (GET /v1/exemplars/{id}).
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("EXEMPLAR_TOKEN")
