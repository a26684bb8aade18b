-- wrk script: exemplar-view-ish reads of one exemplar's stream.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("EXEMPLAR_TOKEN")
