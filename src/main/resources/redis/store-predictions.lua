-- Stores a chunk of predictions and indexes each under its entity, in one call: per prediction a script call (8-9 us
-- of Redis CPU, mostly the Lua call itself) and a command the client encodes and awaits cost more than the writes.
-- A prediction never replaces a newer one (later predicted_at) for the same event; equal timestamps rewrite identical
-- data, so replaying s2 is harmless. Each entity index is trimmed and its expiry renewed once per chunk, not per
-- prediction (per prediction, a full index was rewritten twice for every record).
-- Keys of one call span many slots: this suits standalone and Sentinel Redis (what the app connects to); Redis
-- Cluster would need a hash tag in RedisKeys and chunks grouped by slot.
-- KEYS[2i-1] prediction hash of prediction i   KEYS[2i] its entity index (sorted set by event time)
-- ARGV[1] ttl ms   ARGV[2] index entries to keep
-- ARGV[4i-1 .. 4i+2] prediction i: Prediction protobuf, predicted_at ms, event time ms, event id
local ttl = ARGV[1]
local keep = tonumber(ARGV[2])
local indexes = {}
local written = 0
for i = 1, #KEYS / 2 do
  local hash, index, a = KEYS[2 * i - 1], KEYS[2 * i], 4 * i - 1
  redis.call('ZADD', index, ARGV[a + 2], ARGV[a + 3])
  indexes[index] = true
  local stored = redis.call('HGET', hash, 't')
  if not stored or tonumber(stored) <= tonumber(ARGV[a + 1]) then
    redis.call('HSET', hash, 'p', ARGV[a], 't', ARGV[a + 1])
    redis.call('PEXPIRE', hash, ttl)
    written = written + 1
  end
end
for index in pairs(indexes) do
  -- Keep the newest entries: drop ranks 0 .. -(keep + 1).
  redis.call('ZREMRANGEBYRANK', index, 0, -(keep + 1))
  redis.call('PEXPIRE', index, ttl)
end
return written
