-- wrk script: every request carries X-Forwarded-For with one of KEYS distinct client addresses
-- (10.x.y.z), taken in turn, so a warm-up of KEYS requests has used each once.
local keys = tonumber(os.getenv("KEYS") or "100000")
local n = 0
request = function()
  local i = n % keys
  n = n + 1
  local ip = string.format("10.%d.%d.%d", math.floor(i / 65536) % 256, math.floor(i / 256) % 256, i % 256)
  return wrk.format("GET", wrk.path, { ["X-Forwarded-For"] = ip })
end
