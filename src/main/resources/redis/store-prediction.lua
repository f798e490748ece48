-- Stores one prediction unless a newer one (later predicted_at) is already stored for the same event, and indexes it
-- under its entity: one command per record in the sink's pipeline instead of a script call and a ZADD. Trimming and
-- expiring the index stay one command each per entity and batch (in RedisPredictionWriter): done here per record,
-- they rewrote a full index twice per prediction. Equal timestamps rewrite identical data, so replaying s2 is harmless.
-- Two keys in one script suit standalone and Sentinel Redis (what the app connects to); Redis Cluster would need both
-- keys in one slot, i.e. a hash tag in RedisKeys.
-- KEYS[1] prediction hash   KEYS[2] entity index (sorted set by event time)
-- ARGV[1] Prediction protobuf   ARGV[2] predicted_at ms   ARGV[3] ttl ms   ARGV[4] event time ms   ARGV[5] event id
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
local stored = redis.call('HGET', KEYS[1], 't')
if stored and tonumber(stored) > tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'p', ARGV[1], 't', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
