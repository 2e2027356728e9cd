import { hostileShard } from '../helpers/hostile-suite.js';

// shard 3 of the hostile-input corpus (test/helpers/hostile-suite.ts)
hostileShard(3);
