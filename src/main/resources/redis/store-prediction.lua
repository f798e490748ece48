-- Stores one prediction unless a newer one (later predicted_at) is already stored for the same event.
-- Equal timestamps rewrite identical data, so replaying s2 is harmless.
-- KEYS[1] prediction hash   ARGV[1] Prediction protobuf   ARGV[2] predicted_at ms   ARGV[3] ttl ms
local stored = redis.call('HGET', KEYS[1], 't')
if stored and tonumber(stored) > tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'p', ARGV[1], 't', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
