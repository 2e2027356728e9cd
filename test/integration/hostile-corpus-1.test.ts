import { hostileShard } from '../helpers/hostile-suite.js';

// shard 1 of the hostile-input corpus (test/helpers/hostile-suite.ts)
hostileShard(1);
