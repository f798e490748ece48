-- Stores one prediction and indexes it under its entity, in one command per record: the sink pipelines one EVALSHA
-- per prediction instead of a script call, a ZADD and per-entity trim and expire commands.
-- Never replaces a newer prediction (later predicted_at) for the same event; equal timestamps rewrite identical data,
-- so replaying s2 is harmless.
-- KEYS[1] prediction hash   KEYS[2] entity index (sorted set)
-- ARGV[1] Prediction protobuf   ARGV[2] predicted_at ms   ARGV[3] ttl ms   ARGV[4] event time ms   ARGV[5] event id
-- ARGV[6] entries kept per entity
local stored = redis.call('HGET', KEYS[1], 't')
if stored and tonumber(stored) > tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'p', ARGV[1], 't', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
local keep = tonumber(ARGV[6])
-- ZCARD is O(1): trim only when the index has grown past its cap, keeping the newest entries by event time.
if redis.call('ZCARD', KEYS[2]) > keep then
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(keep + 1))
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
