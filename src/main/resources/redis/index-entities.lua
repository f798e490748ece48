-- Indexes stored predictions under their entities in the current bucket: the second of the sink's two calls per chunk
-- (store-records.lua is the first; what it refused as a clash is not passed here).
--
-- Layout of one call (RedisPredictionWriter builds it; 0-based prediction numbers i):
--   KEYS[i + 1]  the index hash of the entity's shard in the current bucket, '<kind>{<shard>}:<bucket>'
--   ARGV[1] entries kept per entity and bucket   ARGV[2] when the current bucket's keys expire, epoch ms
--   ARGV[3 + 3i .. 5 + 3i]  id, entity key, index time ms (event time, or a session's start)
-- An index hash maps entity key -> '<count>|' followed by ' <id>/<time>' for each of the entity's ids in the bucket;
-- an id already there is not added again. Readers gather an entity's entries from every live bucket.
local ARGS_EACH, FIRST = 3, 3
local keep = tonumber(ARGV[1])
local expiresAt = ARGV[2]
local touched = {}

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

for i = 0, #KEYS - 1 do
  local index = KEYS[i + 1]
  local a = FIRST + ARGS_EACH * i
  local id, entity, time = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  local entries = redis.call('HGET', index, entity)
  if not entries or not string.find(entries, ' ' .. id .. '/', 1, true) then
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
    redis.call('HSET', index, entity, count .. '|' .. list)
    touched[index] = true
  end
end
for key in pairs(touched) do
  redis.call('PEXPIREAT', key, expiresAt)
end
return {}
