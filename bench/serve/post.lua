-- POST the JSON in $BODY to the URL given on the wrk command line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")
