import { breakageShard } from '../helpers/breakage-suite.js';

// shard 1 of the breakage corpus (test/helpers/breakage-suite.ts); NETLAB_BREAKAGE_LABS=all|lab,lab runs it
breakageShard(1);
