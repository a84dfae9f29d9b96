-- Pacing: each connection waits $DELAY_MS after a response before its next request (wrk's delay() hook, whole
-- milliseconds). With C connections the offered rate is about C * 1000 / (DELAY_MS + latency). Not open-loop like
-- wrk2 (not in Debian): a stalled response still delays that connection's next request.
local pause = tonumber(os.getenv("DELAY_MS") or "2")
function delay()
  return pause
end
