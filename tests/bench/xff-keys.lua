-- wrk script: every request carries X-Forwarded-For with one of KEYS distinct client addresses
-- (10.x.y.z), taken in turn. With STOP_AFTER=N (the warm-up) the run stops after N responses, so a
-- warm-up of KEYS requests uses each address exactly once, however fast the machine is.
local keys = tonumber(os.getenv("KEYS") or "100000")
local stop_after = tonumber(os.getenv("STOP_AFTER") or "0")
local n = 0
request = function()
  local i = n % keys
  n = n + 1
  local ip = string.format("10.%d.%d.%d", math.floor(i / 65536) % 256, math.floor(i / 256) % 256, i % 256)
  return wrk.format("GET", wrk.path, { ["X-Forwarded-For"] = ip })
end
if stop_after > 0 then
  local responses = 0
  response = function()
    responses = responses + 1
    if responses >= stop_after then
      wrk.thread:stop()
    end
  end
end
