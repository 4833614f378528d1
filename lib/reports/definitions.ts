// What each number of a trend report means: shown on /reports (and its printout) and in the README.
export const DEFINITIONS: { term: string; meaning: string }[] = [
  { term: "Open", meaning: "Findings open or in progress at the end of a day (UTC). Risk-accepted findings are a series of their own: neither open nor fixed." },
  { term: "New", meaning: "Findings first seen in the week." },
  { term: "Reopened", meaning: "Findings that came back in the week after a fix." },
  { term: "Fixed", meaning: "Findings closed as fixed in the week, by a scan that no longer reports them or by a person. False positives, not affected and risk-accepted findings are counted apart and never as fixed." },
  { term: "Time to remediate", meaning: "Whole days from first seen to the fix, over findings whose final fix fell in the period (a finding that reopened counts once, to its last fix); median and 90th percentile by nearest rank." },
  { term: "Reopen rate", meaning: "Reopened in the period ÷ fixed in the period." },
  { term: "Closure compliance", meaning: "Fixed on or before the due date ÷ fixed in the period (findings with a due date)." },
  { term: "Backlog compliance", meaning: "Open and not past due ÷ open, at the end of the period; at risk = due within 7 days." },
  { term: "Open age", meaning: "Open findings at the end of the period by days since first seen: under 30, 31–60, 61–90, over 90." },
  { term: "Exceptions", meaning: "Approved and active now, requested and awaiting a decision, and approved ones ending in the next 30 days." },
  { term: "Scope", meaning: "A cluster counts its own findings and those of the images that ran in it on each day. A finding counts for the team that owns it now." },
];
