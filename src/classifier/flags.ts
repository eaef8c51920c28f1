// Consumer-rights flags and severity from precise patterns. The model decides the category; these
// patterns decide the flags, because a missed "my lawyer will be in touch" costs far more than a false alarm.

import { detectPii, type PiiHit } from "../domain/masking.js";
import type { Flag } from "../domain/taxonomy.js";

type PatternFlag = Exclude<Flag, "pii">;

const FLAG_PATTERNS: Record<PatternFlag, RegExp[]> = {
  dispute: [
    /\b(?:is ?n[o']?t|not|ain'?t) (?:my|our|his|her|mine) (?:debt|bill|account|loan|balance)\b/i,
    /\b(?:this|that|it|the debt|the account|the bill) (?:is ?n[o']?t|is not|was ?n[o']?t|was not) (?:mine|my debt|my account|me)\b/i,
    /\b(?:i|we) (?:do ?n[o']?t|don'?t|never|dont) (?:owe|owed)\b/i,
    /\bnot (?:even )?(?:mine|my debt)\b/i,
    /\bdon'?t owe\b/i,
    /\b(?:dispute|disputed|disputing|disputes)\b/i,
    /\b(?:already|was|been|i) paid (?:it |this |that |the (?:debt|bill|balance) )?(?:off|in full)\b/i,
    /\balready (?:been )?paid\b/i,
    /\bwrong person\b/i,
    /\b(?:validate|validation of|verify|verification of|prove) (?:the |this |that |my )?(?:debt|balance|account|i owe)\b/i,
    /\bdebt validation\b/i,
    /\bnever (?:had|opened|signed up for) (?:an? |this |that |the )?(?:account|loan|card|contract)\b/i,
  ],
  cease_contact: [
    /\b(?:stop|quit|cease|stopped|keep|kept|still|won'?t stop|continue to|continues to|keeps?) (?:calling|contacting|texting|emailing|e-mailing|messaging|harass(?:ing)?|writing to)\b/i,
    /\bcease (?:and desist|all (?:contact|communication)|contact|communication)/i,
    /\b(?:do ?n[o']?t|don'?t|never) (?:call|contact|text|email|e-mail|message) me\b/i,
    /\bleave me (?:the \w+ )?alone\b/i,
    /\bno (?:more|further) (?:calls|contact|texts|emails|communication)\b/i,
    /\b(?:told|asked|requested|instructed) (?:them|you|him|her|the collector)? ?(?:to )?(?:stop|not to (?:call|contact))\b/i,
  ],
  attorney: [
    /\b(?:my|our|a|an|the|hired|retained|have|got|get|call|calling|contact(?:ed|ing)?|speak(?:ing)? (?:to|with)|talk(?:ing)? to|consult(?:ed|ing)?)? ?(?:lawyer|lawyers|attorney(?! general)|attorneys(?! general)|counsel|legal aid|legal representation|law firm)\b/i,
    /\blawyer(?:ed)? up\b/i,
    /\brepresented by\b/i,
  ],
  bankruptcy: [
    /\bbankrupt(?:cy|cies)?\b/i,
    /\bchapter (?:7|13|11|seven|thirteen)\b/i,
    /\bch\.? ?(?:7|13)\b/i,
    /\bfil(?:e|ed|ing) (?:for )?(?:bk|ch(?:apter)? ?\d+)\b/i,
    /\bdischarged? (?:in|through|by) (?:the )?(?:bk|court)\b/i,
  ],
  identity_theft: [
    /\bidentity (?:theft|thief|fraud|was stolen|stolen)\b/i,
    /\bid theft\b/i,
    /\bstole (?:my|his|her) (?:identity|id|ssn|social|information|info|name)\b/i,
    /\b(?:opened|taken out|made|used) (?:in|under) my name\b/i,
    /\bfraudulent(?:ly)? (?:account|accounts|opened|charges?|debt|loan)\b/i,
    /\bsomeone (?:used|stole|opened|took) (?:my|an account)\b/i,
    /\bftc (?:identity theft )?(?:report|affidavit)\b/i,
    /\bidentitytheft\.gov\b/i,
  ],
  deceased: [
    /\b(?:deceased|passed away|passed on|has died|had died|who died|since died|death certificate|estate of)\b/i,
    /\b(?:my|his|her|our) (?:late|dead) (?:husband|wife|mother|father|mom|dad|son|daughter|spouse|partner|brother|sister|grandmother|grandfather)\b/i,
    /\b(?:husband|wife|mother|father|mom|dad|son|daughter|spouse|partner|brother|sister|grandma|grandpa) (?:died|passed)\b/i,
  ],
  servicemember: [
    /\b(?:active[- ]duty|servicemember|service member|scra|deployed|deployment|military|national guard|reservist|armed forces|army|navy(?! federal)|marine corps|air force|usmc)\b/i,
    /\b(?:i'?m|i am|my (?:husband|wife|son|daughter) is) (?:a )?(?:soldier|marine|sailor|airman|in the (?:army|navy|military|marines|guard))\b/i,
  ],
  scam_report: [
    /\bscam(?:s|mer|mers|ming|my)?\b/i,
    /\b(?:pretend(?:ed|ing)? to be|claim(?:ed|ing)? to be|posing as|impersonat\w*)\b/i,
    /\b(?:phishing|spoof(?:ed|ing)?|fake (?:collector|collection|agency|call|caller|debt|number|company|text))\b/i,
    /\bis (?:this|that|it) (?:legit|real|a real company|legitimate)\b/i,
  ],
  regulator: [
    /\bcfpb\b/i,
    /\bconsumer financial protection bureau\b/i,
    /\battorneys? general\b/i,
    /\b(?:bbb|better business bureau)\b/i,
    // An "FTC report" is the identity-theft affidavit, not a complaint to a regulator.
    /\b(?:ftc|federal trade commission)\b(?! (?:identity theft )?(?:report|affidavit))/i,
    /\b(?:file|filed|filing|submit|submitted|lodge|lodged|open|opened|make|made) (?:a |an )?(?:formal |official )?complaint (?:with|to) (?:the )?(?:state|regulator|department|dfpi|dfs|banking|consumer)/i,
    /\b(?:report|reported|reporting) (?:you|them|this|it|your company) to (?:the )?(?:state|regulator|authorities|cfpb|ftc|bbb|ag)\b/i,
    /\bdepartment of (?:financial|banking|consumer)\b/i,
  ],
  self_harm: [
    /\b(?:kill|killing|hurt|hurting|harm|harming) myself\b/i,
    /\bsuicid\w*/i,
    /\b(?:end|ending|take|taking) (?:it all|my (?:own )?life|my life)\b/i,
    /\b(?:want|wanted|wanna|going) (?:to )?die\b/i,
    /\b(?:do ?n[o']?t|don'?t|dont) want to (?:live|be alive|be here)(?: anymore)?\b/i,
    /\b(?:better off dead|no reason to live|not worth living|can'?t go on|cannot go on|can'?t do this anymore|unalive|end it\b)/i,
    /\bno way out\b/i,
    /\b(?:see|saw|is) (?:no|the) point (?:in|of) (?:living|life|going on|being alive)\b/i,
    /\bwhat(?:'s| is) the point of living\b/i,
  ],
};

const LAWSUIT_THREAT = [
  /\b(?:i|we)(?:'ll| will|'m| am| are|'re)? (?:going to |gonna |about to )?(?:sue|suing)\b/i,
  /\bsue (?:you|them|your|this|the)\b/i,
  /\b(?:see you in court|take (?:you|them|this) to court|class action|legal action against|filing a (?:lawsuit|suit))\b/i,
  /\b(?:my|our) (?:lawyer|attorney)s? will be in touch\b/i,
];

export interface FlagResult {
  flags: Flag[];
  /** The poster threatens to sue or take the company to court: always critical. */
  lawsuitThreat: boolean;
}

// One alternation per flag: a single regex pass is much cheaper than a dozen, and this runs on every mention.
const combine = (patterns: RegExp[]) => new RegExp(patterns.map((p) => `(?:${p.source})`).join("|"), "i");
const COMBINED = (Object.entries(FLAG_PATTERNS) as [PatternFlag, RegExp[]][]).map(([flag, patterns]) => ({
  flag,
  pattern: combine(patterns),
}));
const LAWSUIT_COMBINED = combine(LAWSUIT_THREAT);

/** `piiHits` lets a caller that already ran PII detection skip a second pass. */
export function detectFlags(text: string, piiHits?: readonly PiiHit[]): FlagResult {
  const flags: Flag[] = [];
  for (const { flag, pattern } of COMBINED) if (pattern.test(text)) flags.push(flag);
  if ((piiHits ?? detectPii(text)).length > 0) flags.push("pii");
  return { flags, lawsuitThreat: LAWSUIT_COMBINED.test(text) };
}
