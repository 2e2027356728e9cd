import { afterEach, describe, expect, it, vi } from 'vitest';
import { asRoot } from '../../src/as-root.js';
import { requireTools } from '../../src/exec/preflight.js';
import { NetlabError } from '../../src/errors.js';

// A fresh Debian has no sudo, and root needs none: hints say `sudo` only to other users.
const NO_SUCH_TOOL = 'netlab-no-such-tool';

describe('sudo in hints only for a user who is not root', () => {
  afterEach(() => vi.restoreAllMocks());
  const hintOfMissingTool = () => {
    try {
      requireTools([NO_SUCH_TOOL]);
    } catch (error) {
      return (error as NetlabError).hint;
    }
    return undefined;
  };

  it('as root: no sudo', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(0);
    expect(asRoot()).toBe('');
    expect(hintOfMissingTool()).toMatch(/^install them: apt-get install netlab-no-such-tool/);
  });

  it('as another user: sudo', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    expect(asRoot()).toBe('sudo ');
    expect(hintOfMissingTool()).toMatch(/^install them: sudo apt-get install/);
  });
});
