import { hostileShard } from '../helpers/hostile-suite.js';

// shard 2 of the hostile-input corpus (test/helpers/hostile-suite.ts)
hostileShard(2);
