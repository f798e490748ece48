-- Stores a chunk of predictions in the bucketed layout (RedisKeys, StoreBuckets): the first of the sink's two calls
-- per chunk; index-entities.lua then indexes the ones stored. Together they are idempotent (a replay after a crash
-- between them stores nothing new and indexes what was missing).
--
-- Layout of one call (RedisPredictionWriter builds it; both sides use 0-based prediction numbers i):
--   KEYS[i + 1]  the record hash of the prediction's shard in the current bucket, '<kind>{<shard>}:<bucket>'
--   ARGV[1] newest and ARGV[2] oldest bucket to look in   ARGV[3] when the current bucket's keys expire, epoch ms
--   ARGV[4 + 4i .. 7 + 4i]  the stored value (StoredValue: '<predicted_at>,<entity length>,<entity>...'),
--                           predicted_at ms, id, entity key
-- A record hash maps id -> stored value.
--
-- Identity: an id belongs to the first entity stored under it. A prediction for the same id under another entity is
-- a clash: nothing of it is written and its number is returned, so the sink dead-letters it (and does not index it)
-- and no entity's query can ever show another entity's prediction. Within one entity a prediction never replaces a
-- newer one (later predicted_at) and an equal one is not written again, so replaying s2 is harmless. Both checks look
-- in every bucket not yet expired, newest first: readers take the newest bucket that holds an id, and that is the
-- newest prediction.
--
-- The older buckets of a shard are named from the declared key by its bucket number: every bucket of a shard has the
-- same hash tag, so on Redis Cluster they are in the declared key's slot (the writer gives a Cluster one slot's keys
-- per call).
local ARGS_EACH, FIRST = 4, 4
local newest, oldest = tonumber(ARGV[1]), tonumber(ARGV[2])
local expiresAt = ARGV[3]
local touched = {}
local clashes = {}

-- predicted_at and entity of a stored value
local function owner(value)
  local c1 = string.find(value, ',', 1, true)
  local c2 = string.find(value, ',', c1 + 1, true)
  local length = tonumber(string.sub(value, c1 + 1, c2 - 1))
  return tonumber(string.sub(value, 1, c1 - 1)), string.sub(value, c2 + 1, c2 + length)
end

for i = 0, #KEYS - 1 do
  local record = KEYS[i + 1]
  local a = FIRST + ARGS_EACH * i
  local value, predictedAt, id, entity = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[a + 3]
  local shard = string.match(record, '^(.*:)%-?%d+$')
  local storedAt, storedEntity
  for bucket = newest, oldest, -1 do
    local stored = redis.call('HGET', shard .. bucket, id)
    if stored then
      storedAt, storedEntity = owner(stored)
      break
    end
  end
  if storedEntity and storedEntity ~= entity then
    clashes[#clashes + 1] = i
  elseif not storedAt or storedAt < predictedAt then
    redis.call('HSET', record, id, value)
    touched[record] = true
  end
end
for key in pairs(touched) do
  redis.call('PEXPIREAT', key, expiresAt)
end
return clashes
