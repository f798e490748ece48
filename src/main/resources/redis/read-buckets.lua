-- Reads one field of several hashes in one call: an id's record, or an entity's index entries, in every live bucket
-- of its shard (StoredLookup). The keys share the shard's hash tag, so on Redis Cluster they are in one slot.
--   KEYS  the hashes, newest bucket first   ARGV[1] the field
-- Returns the field of each hash in order, nil where it has none.
local values = {}
for i = 1, #KEYS do
  values[i] = redis.call('HGET', KEYS[i], ARGV[1])
end
return values
