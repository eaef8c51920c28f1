// The phrase rules of the linter, grouped by what they mean so each group carries its own plain message.
// Syntax (see text.ts compilePhrase): words match their inflections, "=word" is exact, "?word" optional,
// "a|b" alternatives, "~N" skips up to N words. Paraphrases are listed as separate phrases on purpose: the
// list reads as the catalogue of ways a reply can confirm a debt, and a test exists for each family.
import type { RuleCode } from "./rules.js";

export interface PhraseGroup {
  rule: RuleCode;
  message: string;
  phrases: string[];
}

const ADJ =
  "?outstanding|unpaid|overdue|remaining|current|past|previous|old|open|closed|full|total|entire|whole|new|late";
const DEBT_NOUN =
  "account|balance|debt|bill|loan|arrears|obligation|invoice|payment|payoff|delinquent|amount|collect|dues|charge";
const RELATIVE =
  "=husband|=wife|=spouse|=partner|=mother|=mom|=mum|=father|=dad|=son|=daughter|=child|=children|=kid|=kids|=brother|=sister|=parent|=parents|=grandmother|=grandma|=grandfather|=grandpa|=uncle|=aunt|=cousin|=relative|=relatives|=roommate|=tenant|=ex|=fiance|=fiancee|=boyfriend|=girlfriend|=estate|=deceased|=family";

export const PHRASE_GROUPS: PhraseGroup[] = [
  // ── B1: confirming a relationship or a debt ─────────────────────────────────────────────────────────────
  {
    rule: "B1",
    message: "refers to the person's own account or debt, which confirms publicly that they have one",
    phrases: [
      `=your|=ur|=yr ${ADJ} ${DEBT_NOUN}|file|arrangement|plan|creditor`,
      "=your|=ur =account|=reference|=case|=file =number|=status|=history|=details|=information|=records",
      "=the|=this|=that|=such ?outstanding|unpaid|overdue|remaining|full|total|entire|whole debt|balance|arrears|account",
      "debt",
      "balance",
      "arrears",
    ],
  },
  {
    rule: "B1",
    message: "talks about what the person owes, which confirms a debt",
    phrases: [
      "=you|=u ~2 owe",
      "=you ~1 =are|=were|='re ~1 owe",
      "=owed|=owing|=due ~1 =by ~1 =you",
      "amount|sum|money|total ?still =owed|=owing|=due|outstanding",
      "=outstanding|=unpaid|=remaining|=overdue|=delinquent amount|sum|money|bill|account|invoice|charge",
      "=past =due",
      "=what ~1 =outstanding|=owed|=owing|=due",
      "=who|=that ~2 owe",
      "=month|=months|=weeks|=payment|=payments =behind",
      "=fall|=fell|=fallen|=falling =behind",
      "=charges",
      "owe ~1 =money|=anything|=something|=us",
      "=get|=getting|=got|=become|=becoming =current",
      "=once|=until|=when|=after|=if ~2 =pay|=paid",
      "=close|=closed|=closing ~2 =file|=account|=case",
      "=agreement|=contract ~3 =signed",
      "=validation|=verification|=collection|=dunning =notice|=letter|=notices|=letters",
      "=receive|=get|=send|=mail|=sent|=mailed ~2 =statement|=statements|=bill|=bills|=invoice|=invoices",
      "=overdue",
      "delinquent",
      "=in =default",
      "=defaulted",
      "=behind =on ~2 =payment|=payments|=bill|=bills",
      "creditor",
      "=lender|=lenders",
    ],
  },
  {
    rule: "B1",
    message: "cites our records about the person, which confirms they are in our system",
    phrases: [
      "=our|=the records|system|file|notes ~2 show|indicate|reflect|confirm|say",
      "=according =to =our",
      "=our|=the =records|=files|=file",
      "=in|=on =our =records|=system|=systems|=file|=files",
      "=on =file",
      "=we ~2 =found|=located|=have ~1 =an|=your =account|=record|=file",
    ],
  },
  {
    rule: "B1",
    message: "mentions collections or settling, which tells readers the person is being collected from",
    phrases: ["collect", "=collector|=collectors", "settle"],
  },
  {
    rule: "B1",
    message: "describes a payment plan or arrangement, which confirms there is something to pay",
    phrases: [
      "payment|repayment|pay|install|hardship|monthly|financial|deferment|deferral|forbearance plan|arrangement|schedule|agreement|option|program|programme",
      "install",
      "work ~1 out ~3 schedule|plan|arrangement|deal|agreement|payment|pay|something|solution",
      "work ~3 =with =you =on ~2 =payment|=payments|=amount|=schedule|=plan",
      "=set =up ~3 payment|install|plan|arrangement|autopay",
      "=setup|arrange ~3 payment|install|plan|arrangement|autopay",
      "=make ~2 =arrangement|=arrangements",
      "pay ~3 =over =time",
      "pay ~3 =monthly|=weekly|=biweekly",
      "pay ~3 =in =parts|=chunks|=installments|=increments",
      "pay ~3 =bit =by =bit",
      "pay ~3 =a =little =at =a =time",
      "spread ~3 =payment|=payments|=cost|=costs|=amount",
      "=smaller|=lower|=affordable|=manageable|=reduced|=monthly|=regular|=partial payment",
      "=your|=the|=this|=that|=any|=missed|=late|=recent|=last|=first|=next|=monthly|=minimum payment",
      "=you ~2 =paid",
      "=paid =in =full",
      "=paid|=pay|=paying =off|=up",
      "=once|=until ~2 =paid",
      "=late|=collection|=processing|=penalty =fee|=fees",
      "interest =rate|=rates|=charges|=accrued|=charged",
    ],
  },
  {
    rule: "B1",
    message:
      "confirms that we have been in contact with the person, which is only true if they are a customer and discloses it",
    phrases: [
      "=we ~2 =called|=contacted|=texted|=emailed|=phoned|=messaged|=wrote|=mailed|=sent|=notified|=reached|=spoke|=talked =you|=to|=out|=with",
      "=we ~3 =trying|=tried|=attempted|=attempting ~1 =to =reach|=contact|=call|=get ~1 =you",
      "=we ~2 =called|=contacted|=texted|=emailed|=phoned|=messaged|=mailed|=notified",
      "=our|=the =call|=calls|=letter|=letters|=notice|=notices|=texts|=messages|=emails|=voicemails ~2 =you ~1 =received|=got|=get",
      "=you ~2 =received|=got ~3 =from =us",
      "=when =you =spoke|=talked|=called ~1 =us|=our|=with",
      "=your ~1 =call|=calls|=conversation|=conversations =with =us|=our",
      "=valued|=loyal =customer|=customers|=client|=clients",
      "=you ~2 =are|=were|='re|=been ~2 =our ~1 =customer|=client",
      "=as ~1 =our|=a =customer|=client|=consumer",
      "=account =holder|=holders",
    ],
  },
  // ── B2: identifiers and dates ──────────────────────────────────────────────────────────────────────────
  {
    rule: "B2",
    message: "refers to an account identifier, which is information about a debt",
    phrases: [
      "=ending =in|=with ~2 =digits|=number",
      "=last =four|=4 ~1 =digits",
      "=reference|=ref|=account|=acct|=case|=file|=claim|=invoice|=loan|=policy|=member =number|=numbers|=id",
      "=date|=dates =of =service",
    ],
  },
  {
    rule: "B2",
    message: "gives a date that could tie the post to an account",
    phrases: [
      "=since|=from|=in|=until|=till =january|=february|=march|=april|=june|=july|=august|=september|=october|=november|=december",
    ],
  },
  // ── B3: debt types that reveal a creditor ──────────────────────────────────────────────────────────────
  {
    rule: "B3",
    message:
      "names a kind of debt, which reveals what the person owes and to whom (medical ones also expose health data)",
    phrases: [
      "hospital|clinic|=medical|doctor|dentist|=dental|ambulance|surgery|=surgical|physician|=radiology|=anesthesia|=anesthesiology|=pediatric|=pediatrics|=lab|=labs",
      "=urgent =care",
      "=er|=emergency ~1 =visit|=visits",
      "=emergency =room",
      "=health ~1 =care|=system|=provider",
      "=healthcare",
      "=student|=federal|=private|=car|=auto|=vehicle|=personal|=payday|=title|=home|=equity loan",
      "loan",
      "mortgage",
      "=payday",
      "=credit ~1 =card|=cards",
      "=card =issuer|=company",
      "=rent|=rental ~1 =debt|=arrears|=balance|=bill",
      "=phone|=cell|=utility|=utilities|=electric|=gas|=water|=cable|=internet|=wireless|=telecom =bill|=bills|=company|=provider",
      "=gym =membership",
      "tuition",
    ],
  },
  // ── B4: personal data ──────────────────────────────────────────────────────────────────────────────────
  {
    rule: "B4",
    message:
      "mentions someone other than the poster, which can disclose their involvement to everyone reading",
    phrases: [
      `=your|=ur ${RELATIVE}|=neighbor|=neighbors|=neighbour|=neighbours|=roommate|=landlord|=coworker|=coworkers|=colleague|=colleagues`,
    ],
  },
  {
    rule: "B4",
    message: "mentions the person's employer or workplace, which is personal data",
    phrases: [
      "=your|=ur|=his|=her|=their =employer|=employers|=boss|=workplace|=job|=work|=office|=supervisor|=hr",
      "=where =you =work|=live",
    ],
  },
  {
    rule: "B4",
    message:
      "mentions sensitive personal data (birth date, SSN or address), which must never appear in public",
    phrases: [
      "=date =of =birth",
      "=dob",
      "=birthday|=birthdate",
      "=social =security",
      "=ssn|=ssns",
      "=home|=street|=mailing|=billing =address",
      "=your|=ur =address",
    ],
  },
  // ── B5: threats ────────────────────────────────────────────────────────────────────────────────────────
  {
    rule: "B5",
    message: "reads as a legal threat",
    phrases: [
      "sue",
      "=litigation|=litigate|=litigated",
      "court",
      "judgment|=judgement|=judgements",
      "garnish",
      "levy|=levies|=levied",
      "seize",
      "repossess",
      "lien",
      "=legal|=collection|=enforcement|=court =action|=actions|=proceedings|=steps|=remedies|=measures",
      "=further =legal|=collection =action|=actions",
      "take|=taking|=took|=taken =action =against",
      "=consequences",
      "=deadline|=deadlines",
      "=until|=by ~1 =monday|=tuesday|=wednesday|=thursday|=friday|=saturday|=sunday|=tomorrow|=tonight ~1 =to =respond|=pay|=reply|=call|=resolve",
      "=result =in ~3 =action|=actions|=consequences|=steps|=measures",
      "=failure =to =respond|=pay|=reply|=contact|=call",
      "=wage|=wages|=paycheck|=paychecks",
      "=final|=last =notice|=warning|=chance|=opportunity",
    ],
  },
  {
    rule: "B5",
    message: "mentions police or arrest, which is an illegal threat for a debt (FDCPA §807(4))",
    phrases: [
      "arrest",
      "=jail|=prison|=jailed",
      "=police|=sheriff|=marshal|=marshals|=warrant|=warrants",
      "=law =enforcement",
      "=criminal|=crime|=crimes",
      "=immigration|=deport|=deported|=deportation",
    ],
  },
  {
    rule: "B5",
    message: "mentions credit reporting, which reads as a threat to damage the person's credit",
    phrases: [
      "=credit ~1 =bureau|=bureaus|=report|=reports|=reporting|=reported|=score|=scores|=file|=history|=rating|=record|=agencies",
      "=equifax|=experian|=transunion",
      "report ~3 =to ~2 =bureau|=bureaus|=agencies|=agency",
      "=negative =mark|=marks|=item|=items|=entry|=report",
      "=hurt|=damage|=ruin|=affect|=impact ~2 =credit",
      "=your|=ur =credit",
      "=stop|=delete|=remove|=update|=correct ~2 =reporting|=tradeline|=tradelines",
      "=tradeline|=tradelines",
    ],
  },
  // ── B6: blame or argument ──────────────────────────────────────────────────────────────────────────────
  {
    rule: "B6",
    message: "blames the person, which escalates the complaint and implies they owe something",
    phrases: [
      "=you ~2 =never|=not ~1 pay|respond|answer|call|return|reply|contact|pick|open|read|sign",
      "ignore ~2 =our|=every|=all|=multiple|=repeated|=several|=many ~1 =call|=calls|=letter|=letters|=message|=messages|=notice|=notices|=attempts|=emails|=texts|=voicemails|=reminders",
      "=you ~2 =ignored|=ignore|=ignoring =our|=us|=every|=all|=the|=multiple|=several|=repeated|=many|=them",
      "=you ~2 refuse|fail|neglect|avoid|dodge|=chose|=decided|=agreed|=signed|=promised|=acknowledged|=admitted|=broke|=broken",
      "=you ~1 =should ~1 =have",
      "=debtor|=debtors|=deadbeat|=deadbeats|=delinquents",
      "=your ~1 =fault|=responsibility|=obligation|=problem",
      "=if =you =had|=would|='d ~2 =paid|=called|=answered|=responded|=read|=listened|=contacted",
      "=multiple|=several|=numerous|=many|=repeated|=countless =attempts|=calls|=letters|=notices|=reminders",
    ],
  },
  {
    rule: "B6",
    message: "argues with the person's account of events, which turns a public reply into a dispute",
    phrases: [
      "=that|=this|=it ~1 =is|='s|=was ~1 =not ~1 =true|=accurate|=correct",
      "=that|=this|=it ~1 =is|='s|=was ~1 =not =what|=how ~1 =happened",
      "=untrue|=inaccurate|=misleading|=exaggerated|=exaggerating",
      "=lie|=lies|=lying|=lied",
      "=contrary =to",
      "=actually ~2 =you",
      "=in =fact",
      "=we ~2 =did|=have|=do ~1 =nothing =wrong",
      "=we ~3 =never|=not ~1 harass|threaten|call|contact|bother|abuse",
      "=you =claim|=claimed|=allege|=alleged",
      "=doing =his|=her|=their|=our =job|=jobs",
      "=forgot|=forget|=forgetting ~1 =to =pay",
      "=review|=post|=complaint|=comment|=rating ~2 =is|=was|='s ~1 =unfair|=inaccurate|=untrue|=misleading|=wrong|=exaggerated|=baseless",
      "=one =sided",
      "=that =is =simply =not",
    ],
  },
  // ── B7: collection disclosures ─────────────────────────────────────────────────────────────────────────
  {
    rule: "B7",
    message:
      "is a collection disclosure (mini-Miranda); in a public reply it announces that the person is being collected from",
    phrases: [
      "attempt|try ~1 =to =collect ~2 debt",
      "=debt =collector|=collectors|=collection|=collections|=collecting|=buyer|=buyers",
      "=collection|=collections =agency|=agencies|=company|=companies|=firm|=firms",
      "=from =a =debt =collector",
      "=any =information =obtained",
      "=used =for =that =purpose",
      "=mini =miranda",
    ],
  },
  // ── B8: payment requests and offers ────────────────────────────────────────────────────────────────────
  {
    rule: "B8",
    message: "asks for payment or offers a deal, which is collection activity on a public channel",
    phrases: [
      "pay ~1 =now|=today|=immediately|=online|=here|=asap|=what|=your|=it|=this|=off|=us|=the|=by|=before|=within",
      "pay ~1 =in =full",
      "=make ~2 payment",
      "=submit|=send|=mail ~2 =payment|=payments|=money|=funds|=check|=cheque",
      "payment|=pay =link|=links|=portal|=portals|=page|=pages|=online|=center|=centre",
      "settle ~1 =offer|=offers|=option|=options|=for|=at|=deal|=discount|=amount|=figure|=today|=now",
      "discount",
      "=reduced|=lower|=less|=smaller ~1 =amount|=balance|=payoff|=settlement|=sum|=figure|=price",
      "=accept|=take ~2 =less|=lower|=reduced|=partial",
      "waive",
      "=one =time =offer",
      "=limited =time",
      "=special =offer",
      "=act =now",
      "=offer ~3 =expire|=expires|=ends",
      "=venmo|=paypal|=zelle|=cashapp",
      "=cash =app",
      "=autopay",
      "=auto =pay",
      "=resolve|=clear|=handle ~1 =the|=your|=this|=that ~1 =balance|=account|=debt|=bill|=amount",
      "=take =care =of ~1 =the|=your|=this|=that ~1 =balance|=account|=debt|=bill|=amount",
      "=bring ~2 =current",
      "=refund|=refunds|=refunded|=reimburse|=reimbursed|=compensate|=compensation",
      "=money =back",
      "=knock|=shave|=take ~3 =off ~2 =balance|=amount|=total|=bill|=price|=chunk|=percent",
      "=knock|=shave ~3 =off",
      "=if|=once|=when|=after =you =pay|=paid",
      "=for|=pay|=accept|=take|=only =half",
      "=half =the|=of ~2 =amount|=balance|=total|=price",
    ],
  },
  {
    rule: "B8",
    message: "offers a payment arrangement in public, which is a payment request on a public channel",
    phrases: [
      "=call|=contact|=reach|=offer|=offers|=offering|=available|=eligible|=qualify|=ask|=discuss ~5 payment|repayment|install|hardship =plan|=plans|=arrangement|=arrangements|=option|=options|=program|=programs",
    ],
  },
  // ── B9: legal or unverifiable claims ───────────────────────────────────────────────────────────────────
  {
    rule: "B9",
    message:
      "makes a legal claim about a debt, which risks a false or misleading representation (FDCPA §807)",
    phrases: [
      "=debt|=debts|=balance|=account|=amount|=it|=claim ~1 =is|='s|=was|=remains|=are ~1 =valid|=legitimate|=legal|=enforceable|=accurate|=correct|=owed|=yours|=verified|=validated|=real",
      "=valid|=legitimate|=verified|=validated|=enforceable =debt|=debts|=claim|=claims|=balance|=account",
      "=legally ~1 =owe|=owed|=obligated|=required|=responsible|=binding|=enforceable|=allowed|=entitled|=permitted|=due",
      "=statute ~1 =of ~1 =limitations|=limitation",
      "=time =barred",
      "=binding|=enforceable",
      "=too =old ~2 =sue|=collect|=enforce",
      "=not ~1 =responsible =for",
      "=no =longer ~1 =responsible =for",
      "=by =law",
      "=the =law ~2 =must|=requires|=require|=allows|=allow|=permits|=permit|=says",
      "=not =paying ~3 =crime|=illegal|=fraud",
      "=committing|=commit =fraud",
      "=we ~2 =comply|=complied|=compliant|=licensed|=bonded|=lawful",
      "=within =our|=the =rights|=right|=law",
      "=within ~1 =legal",
      "=legal =hours|=limits|=requirements|=limit",
      "=fully|=completely|=perfectly =compliant|=legal|=lawful",
      "=fdcpa|=fcra|=cfpb|=tcpa|=hipaa|=glba|=udaap",
      "=reg|=regulation =f",
      "=you ~1 =have|=has ~1 =no ~1 =case|=grounds|=basis|=right",
      "=is|=was|='s =not|=nothing ?=considered =harassment|=illegal|=unlawful",
      "=we ~1 =have|=had ~1 =every|=the|=a =right =to",
    ],
  },
  {
    rule: "B9",
    message:
      "implies attorney or government involvement, which can be a false representation (FDCPA §807(3))",
    phrases: [
      "=we =are|='re ~1 =attorneys|=lawyers|=attorney|=lawyer|=officers|=officials|=government|=counsel",
      "=we =are|='re =a =law =firm",
      "=our|=my =attorney|=attorneys|=lawyer|=lawyers|=counsel",
      "=our|=my =legal =department|=team|=counsel",
      "=our|=my =law =firm",
      "=government|=federal|=state =agency|=agencies|=official|=officials|=department|=authority|=authorities",
      "=attorney =general",
    ],
  },
  // ── B10: tone ─────────────────────────────────────────────────────────────────────────────────────────
  {
    rule: "B10",
    message: "is profane or insulting, which is abusive conduct (FDCPA §806)",
    phrases: [
      "=damn|=dammit|=goddamn|=hell|=crap|=crappy|=shit|=bullshit|=fuck|=fucking|=fucked|=wtf|=ass|=asshole|=bitch|=bastard|=piss|=pissed",
      "=stupid|=idiot|=idiots|=idiotic|=moron|=moronic|=dumb|=ridiculous|=pathetic|=lazy|=liar|=liars|=whining|=whine|=whiny|=crybaby|=loser|=losers|=clown|=nonsense|=absurd|=laughable|=irresponsible",
      "=lol|=lmao|=lmfao|=rofl|=smh",
    ],
  },
  {
    rule: "B10",
    message: "is sarcastic or dismissive, which reads as contempt for someone having a hard time",
    phrases: [
      "=nice =try",
      "=good =luck =with =that",
      "=sure =you =did|=do|=are",
      "=yeah|=yea =right",
      "=oh =well",
      "=cry =me =a =river",
      "=bless =your =heart",
      "=thanks =for =nothing",
      "=sorry ~2 =you ~1 =feel|=felt|=think|=thought|=believe =that =way",
      "=sorry =if =you ~1 =feel|=felt|=think|=thought|=believe|=were|=are|='re|=was",
      "=sorry =not =sorry",
      "=grow =up",
      "=get =over =it",
      "=deal =with =it",
      "=not ~1 =our =problem|=fault|=concern",
      "=read =the =fine =print",
      "=you =people",
      "=obviously",
      "=clearly =you",
      "=as =we ~2 =said|=told|=explained|=stated",
      "=as =stated|=mentioned =before|=previously",
      "=must =be =nice",
      "=maybe =next =time",
      "=perhaps =next =time",
      "=next =time ~3 =read|=answer|=pick|=respond|=open|=pay|=call",
      "=read =your =mail|=letters|=mailbox|=messages",
      "=another =complaint",
      "=funny|=interesting|=amazing =how =you",
      "=sounds =like =someone|=somebody",
      "=someone|=somebody ~1 =forgot|=forget|=failed|=neglected",
      "=you =only ~1 =complain|=complaining",
      "=with =all =due =respect",
      "=no =offense|=offence",
      "=calm =down",
      "=newsflash",
      "=shocker",
      "=big =surprise",
      "=good =for =you",
      "=duh",
      "=if =only =you",
      "=try =reading",
      "=how =hard =is =it",
      "=thanks|=thank ~3 =for =nothing|=wasting|=ignoring|=nada",
      "=per =my|=our =last|=previous|=earlier",
      "=real =smart",
      "=clever|=smart =of =you",
    ],
  },
  {
    rule: "B10",
    message: "calls the person a mocking name, which is condescending",
    phrases: [
      "=genius|=einstein|=sherlock|=smartass|=smarty|=smartypants",
      "=wise|=smart =guy|=alec",
      "=buddy|=pal|=sweetie|=sweetheart|=honey|=champ|=princess|=missy",
    ],
  },
  // ── B12: third parties' debts ─────────────────────────────────────────────────────────────────────────
  {
    rule: "B12",
    message: "says something about another person's debt, which discloses it without their consent",
    phrases: [
      `=his|=her|=their ${ADJ} ${DEBT_NOUN}|file|creditor`,
      `${RELATIVE} ~3 ${DEBT_NOUN}|owe|file`,
      "=he|=she|=they ~2 owe",
      "=responsible =for ~2 =his|=her|=their|=husband|=wife|=mother|=father|=parent|=parents|=son|=daughter",
      "=passed =away ~6 debt|account|balance|bill|loan|owe|estate",
      "=deceased|=died ~6 debt|account|balance|bill|loan|owe|estate",
      "=the|=an|=his|=her|=their =estate",
      "=on =behalf =of ~2 =his|=her|=their|=husband|=wife|=mother|=father|=parent|=parents|=son|=daughter",
    ],
  },
  // ── R_EMPATHY (admissions): empathy must admit nothing ─────────────────────────────────────────────────
  {
    rule: "R_EMPATHY",
    message:
      "admits fault or facts; empathy must not concede anything before the facts are checked in private",
    phrases: [
      "=we ~2 =made|=make ~1 =a|=an|=some ~1 =mistake|=error|=mistakes|=errors",
      "=our|=my ~1 =mistake|=fault|=error|=bad|=mistakes|=errors",
      "=we =were|=are|='re ~1 =wrong|=mistaken",
      "=we =were|=are|='re =to =blame",
      "=we =were|=are|='re =at =fault",
      "=we ~1 =should =not =have",
      "=we ~2 =violated|=broke|=breached|=mishandled|=messed|=screwed|=dropped",
      "apologize|sorry =for ~2 =our|=the|=those|=these|=all ~1 =error|=mistake|=mistakes|=errors|=harassment|=calls|=calling|=texts|=letters|=behavior|=behaviour|=conduct|=misconduct|=threats",
      "=our|=the ~1 =agent|=agents|=collector|=collectors|=representative|=representatives|=rep|=reps|=employee|=employees|=staff ~2 =was|=were|=is|=acted ~2 =rude|=wrong|=unprofessional|=out|=harassing|=abusive|=inappropriate|=unacceptable|=aggressive",
      "=that|=this =was|=is|='s ~1 =illegal|=inexcusable",
      "=that|=this =was|=is|='s ~1 =a =violation",
      "=take|=accept|=taking ~1 =full ~1 =responsibility",
      "=we ~2 =will|='ll ~1 =remove|=delete|=fix|=correct|=reverse|=erase|=waive ~3 =it|=the|=your|=this",
    ],
  },
];

/** Wording that shows empathy; R_EMPATHY requires at least one. */
export const EMPATHY_PHRASES = [
  "sorry",
  "apologize",
  "=understand|=understandable|=understandably",
  "=hear|=hearing =about|=this|=that|=from|=you",
  "=thank|=thanks|=thankful|=grateful",
  "appreciate",
  "regret",
  "=frustrating|=frustrated|=frustration|=upsetting|=upset|=stressful|=worrying|=difficult|=tough",
  "=concern|=concerns|=concerned",
  "=glad|=delighted|=pleased",
  "=happy =to|=that|=you",
  "=we =care|=matters|=important",
  "=want|=like|=love ~1 =to =help|=hear|=look|=make|=understand|=listen|=learn",
  "=treated =with =respect",
];

/** An invitation to a private, company-controlled channel; R_PRIVATE_CHANNEL requires one. */
export const PRIVATE_CHANNEL_PHRASES = [
  "=dm|=dms|=pm",
  "=direct|=private|=privately =message|=messages",
  "=message|=email|=e-mail|=text|=call|=phone|=contact|=reach|=write ~1 =us|=our|=out",
  "=privately",
  "=in =private",
  "=contact =page|=form|=us|=team",
  "=get =in =touch",
  "=send =us =a =message|=note",
  "=inbox",
];

/** Wording that asks the person to put details in public; R_PRIVATE_CHANNEL forbids it. */
export const PUBLIC_ASK_PHRASES = [
  "=reply|=respond|=comment|=answer ~2 =here|=below|=publicly",
  "=reply|=respond|=comment|=answer|=post ~2 =in =the|=this =comments|=thread",
  "=reply|=respond|=comment|=answer =with =your",
  "=post|=share|=tell|=give|=provide|=send|=include|=leave|=list|=drop|=confirm|=let|=add ~3 =your|=the ~2 =name|=account|=reference|=ref|=number|=phone|=email|=address|=dob|=birth|=ssn|=social|=details|=info|=information|=case",
];

/** Common first names that are not also ordinary English words: a capitalised one in a reply is a person. */
export const COMMON_FIRST_NAMES = new Set(
  (
    "james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony " +
    "donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob " +
    "gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander patrick " +
    "jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter " +
    "christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy " +
    "bruce gabriel joe logan alan juan albert willie elijah wayne randy vincent liam mary patricia jennifer " +
    "linda elizabeth barbara susan jessica sarah karen lisa nancy betty sandra margaret ashley kimberly emily " +
    "donna michelle carol amanda melissa deborah stephanie dorothy rebecca sharon laura cynthia amy kathleen " +
    "angela shirley brenda emma anna pamela nicole samantha katherine christine helen debra rachel carolyn janet " +
    "maria catherine heather diane olivia julie joyce victoria ruth virginia lauren kelly christina joan evelyn " +
    "judith andrea hannah megan cheryl jacqueline martha madison teresa gloria sara janice ann kathryn abigail " +
    "sophia frances jean alice judy isabella julia denise amber doris marilyn danielle beverly charlotte natalie " +
    "theresa diana brittany kayla alexis lori jane jenny jamal tanisha latoya darnell keisha carlos luis miguel " +
    "jorge rosa carmen guadalupe"
  ).split(" "),
);
