import type * as Zxcvbn from '@zxcvbn-ts/core';
import type * as Common from '@zxcvbn-ts/language-common';

/** Why a new password is refused: `too_short`, `repeated` (one character again and again), `common`. */
export type PasswordProblem = 'too_short' | 'repeated' | 'common';

export const MIN_PASSWORD_LENGTH = 12;

/**
 * zxcvbn-ts with its common-passwords lists, shipped in the package (no network look-up). Its
 * score 0–2 means fewer than 10^8 guesses: a list password with digits added, a keyboard row.
 * Loaded and built on first use, not at start: the dictionaries take a moment to load.
 */
let estimator: Zxcvbn.ZxcvbnFactory | undefined;

function loadEstimator(): Zxcvbn.ZxcvbnFactory {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const core = require('@zxcvbn-ts/core') as typeof Zxcvbn;
  const common = require('@zxcvbn-ts/language-common') as typeof Common;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new core.ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
}

export function passwordProblem(password: string, email: string): PasswordProblem | null {
  const chars = [...password.normalize('NFKC')];
  if (chars.length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (new Set(chars.map((c) => c.toLowerCase())).size === 1) return 'repeated';
  // The e-mail's own words are what an attacker tries first: little else beside them is too little.
  const own = email
    .toLowerCase()
    .split(/[@.+_-]/)
    .filter((w) => w.length > 2);
  const rest = own.reduce((left, word) => left.split(word).join(''), password.toLowerCase());
  if ([...rest].length < 6) return 'common';
  estimator ??= loadEstimator();
  return estimator.check(password, own).score < 3 ? 'common' : null;
}
