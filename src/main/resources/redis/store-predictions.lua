-- Stores a chunk of predictions in the bucketed layout (RedisKeys, StoreBuckets) and indexes them under their
-- entities, in one call (a call per prediction cost more in the client's encoding and round trips than the writes).
--
-- ARGV[1] says what the call does:
--   'both'     each prediction's record and its index entry (standalone and Sentinel Redis: a call's keys may span
--              hash slots), in one round trip per batch;
--   'records'  records only, then 'indexes' for the ones stored — on Redis Cluster, where a record and its entity's
--              index are in different slots and a call holds one slot's keys (the writer groups them).
-- Layout of one call (RedisPredictionWriter builds it; both sides use 0-based prediction numbers i):
--   KEYS[k * i + 1 ..]   per prediction, k = 2 for 'both' (record hash, index hash) and 1 otherwise; a record hash is
--                        '<kind>{<shard>}:<bucket>' of the prediction's id in the current bucket, an index hash the
--                        same of its entity
--   ARGV[2] newest and ARGV[3] oldest bucket to look in   ARGV[4] when the current bucket's keys expire, epoch ms
--   ARGV[5] index entries kept per entity and bucket
--   ARGV[6 + 5i .. 10 + 5i]  the stored value (StoredValue: '<predicted_at>,<entity length>,<entity>...'),
--                            predicted_at ms, id, entity key, index time ms (event time, or a session's start)
-- A record hash maps id -> stored value; an index hash maps entity key -> '<count>|' followed by ' <id>/<time>' for
-- each of the entity's ids in that bucket (an id already there is not added again).
--
-- Identity: an id belongs to the first entity stored under it. A prediction for the same id under another entity is
-- a clash: nothing of it is written or indexed and its number is returned, so the sink dead-letters it and no entity's
-- query can ever show another entity's prediction. Within one entity a prediction never replaces a newer one (later
-- predicted_at) and an equal one is not written again, so replaying s2 is harmless (also after a crash between a
-- 'records' and an 'indexes' call: the replay stores nothing new and indexes what was missing). Both checks look in
-- every bucket not yet expired, newest first: readers take the newest bucket that holds an id, and that is the
-- newest prediction. The older buckets of a shard are named from the declared key by its bucket number: every bucket
-- of a shard has the same hash tag, so on a Cluster they are in the declared key's slot.
local ARGS_EACH, FIRST = 5, 6
local mode = ARGV[1]
local newest, oldest = tonumber(ARGV[2]), tonumber(ARGV[3])
local expiresAt = ARGV[4]
local keep = tonumber(ARGV[5])
local keysEach = mode == 'both' and 2 or 1
local touched = {}
local clashes = {}

-- predicted_at and entity of a stored value
local function owner(value)
  local c1 = string.find(value, ',', 1, true)
  local c2 = string.find(value, ',', c1 + 1, true)
  local length = tonumber(string.sub(value, c1 + 1, c2 - 1))
  return tonumber(string.sub(value, 1, c1 - 1)), string.sub(value, c2 + 1, c2 + length)
end

-- stores one record unless a newer or equal one is stored; false when the id is another entity's
local function store(record, id, entity, value, predictedAt)
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
    return false
  end
  if not storedAt or storedAt < predictedAt then
    redis.call('HSET', record, id, value)
    touched[record] = true
  end
  return true
end

-- the newest `keep` of an index list, by time
local function newestOf(list)
  local entries = {}
  for id, time in string.gmatch(list, ' ([^ /]+)/(%-?%d+)') do
    entries[#entries + 1] = {id, tonumber(time), time}
  end
  table.sort(entries, function(x, y) return x[2] > y[2] end)
  local kept = {}
  for j = 1, math.min(keep, #entries) do
    kept[j] = ' ' .. entries[j][1] .. '/' .. entries[j][3]
  end
  return table.concat(kept), #kept
end

local function index(key, id, entity, time)
  local entries = redis.call('HGET', key, entity)
  if entries and string.find(entries, ' ' .. id .. '/', 1, true) then
    return
  end
  local count, list = 0, ''
  if entries then
    local bar = string.find(entries, '|', 1, true)
    count, list = tonumber(string.sub(entries, 1, bar - 1)), string.sub(entries, bar + 1)
  end
  list, count = list .. ' ' .. id .. '/' .. time, count + 1
  -- Trimmed to the newest `keep` only when twice as many: sorting on every write would cost more than the bytes.
  if count > 2 * keep then
    list, count = newestOf(list)
  end
  redis.call('HSET', key, entity, count .. '|' .. list)
  touched[key] = true
end

for i = 0, #KEYS / keysEach - 1 do
  local a = FIRST + ARGS_EACH * i
  local value, predictedAt, id, entity, time = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local key = KEYS[keysEach * i + 1]
  if mode == 'indexes' then
    index(key, id, entity, time)
  elseif not store(key, id, entity, value, predictedAt) then
    clashes[#clashes + 1] = i
  elseif mode == 'both' then
    index(KEYS[keysEach * i + 2], id, entity, time)
  end
end
for key in pairs(touched) do
  redis.call('PEXPIREAT', key, expiresAt)
end
return clashes
