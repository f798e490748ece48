-- Stores a chunk of predictions and indexes each under its entity, in one call (a call per prediction cost more in
-- the client's encoding and round trips than the writes themselves).
--
-- Layout of one call (RedisPredictionWriter builds it; both sides use 0-based prediction numbers i):
--   KEYS[2i + 1]  the prediction's hash          KEYS[2i + 2]  its entity's index (sorted set by event time)
--   ARGV[1] ttl in ms   ARGV[2] index entries to keep per entity   ARGV[3] the writer's clock, ms (stored at)
--   ARGV[4 + 6i .. 9 + 6i]  Prediction protobuf, predicted_at ms, event time ms, event id, entity key, and the
--                           topic:partition:offset it was read from
-- Hash fields: p the protobuf, t predicted_at, e entity, w stored at, o read from (w and o: for an event's journey).
--
-- Identity: an event id belongs to the first entity stored under it. A prediction for the same event id under
-- another entity is a clash: nothing of it is written and its number is returned, so the sink dead-letters it and
-- no entity's query can ever show another entity's prediction. Within one entity a prediction never replaces a newer
-- one (later predicted_at); equal timestamps rewrite identical data, so replaying s2 is harmless. Hashes written
-- before the entity field existed have no 'e' and are treated as the same entity until they expire.
--
-- Each entity index is trimmed and its expiry renewed once per call, not per prediction.
-- Keys of one call span many slots: this suits standalone and Sentinel Redis.
local KEYS_EACH, ARGS_EACH, FIRST = 2, 6, 4
local ttl = ARGV[1]
local keep = tonumber(ARGV[2])
local now = ARGV[3]
local indexes = {}
local clashes = {}
for i = 0, #KEYS / KEYS_EACH - 1 do
  local hash, index = KEYS[KEYS_EACH * i + 1], KEYS[KEYS_EACH * i + 2]
  local a = FIRST + ARGS_EACH * i
  local value, predictedAt, eventTime, eventId, entity = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local from = ARGV[a + 5]
  local stored = redis.call('HMGET', hash, 'e', 't')
  if stored[1] and stored[1] ~= entity then
    clashes[#clashes + 1] = i
  else
    redis.call('ZADD', index, eventTime, eventId)
    indexes[index] = true
    if not stored[2] or tonumber(stored[2]) <= tonumber(predictedAt) then
      redis.call('HSET', hash, 'p', value, 't', predictedAt, 'e', entity, 'w', now, 'o', from)
      redis.call('PEXPIRE', hash, ttl)
    end
  end
end
for index in pairs(indexes) do
  -- Keep the newest entries: drop ranks 0 .. -(keep + 1).
  redis.call('ZREMRANGEBYRANK', index, 0, -(keep + 1))
  redis.call('PEXPIRE', index, ttl)
end
return clashes
