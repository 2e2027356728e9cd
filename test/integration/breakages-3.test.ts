import { breakageShard } from '../helpers/breakage-suite.js';

// shard 3 of the breakage corpus (test/helpers/breakage-suite.ts); NETLAB_BREAKAGE_LABS=all|lab,lab runs it
breakageShard(3);
