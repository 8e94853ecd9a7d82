/** campaign: the campaign page (headline by phase, pledge control, recap, dates, gates). */
export const en = {
  "campaign.headline":
    "{count, plural, =0 {Nobody has pledged yet to strike on {date}.} one {# person has pledged to strike on {date}, if the number they chose is reached.} other {# people have pledged to strike on {date}, each if the number they chose is reached.}}",
  "campaign.headlineAwaiting":
    "{count, plural, =0 {Nobody pledged to strike on {date}.} one {# person pledged to strike on {date}.} other {# people pledged to strike on {date}.}} The result is final once the campaign is resolved.",
  "campaign.headlineSucceeded": "{count, plural, one {# person is} other {# people are}} bound to strike on {date}.",
  "campaign.headlineFailed": "No threshold was reached: nobody is bound to strike on {date}.",
  "campaign.subSucceeded":
    "They had accepted a strike of {threshold, number} or fewer. {free, plural, =0 {Every pledge was triggered.} one {# person whose threshold was not reached is free.} other {# people whose threshold was not reached are free.}}",
  "campaign.subFailed":
    "{count, plural, =0 {Nobody had pledged.} one {# person had pledged; nobody has to strike.} other {# people had pledged; nobody has to strike.}} Every donation can be taken back in full.",
  "campaign.headlineIf": "If there are",
  "campaign.headlineMeToo": ", me too.",
  "campaign.chooseThreshold": "choose a number…",
  "campaign.pledgeButton": "Pledge",
  "campaign.supportLabel": "I need support to afford it (optional, up to {cap})",
  "campaign.supportInvalid": "Enter an amount between 0 and {cap}.",
  "campaign.countdown": "Closes in {duration}",
  "campaign.pledgeUntil": "Pledges until {date}.",
  "campaign.closed": "Pledges closed",
  "campaign.outcomeAwaiting":
    "The deadline has passed. Anyone with a wallet may resolve the campaign; it costs only the network fee.",
  "campaign.resolveButton": "Resolve now",
  "campaign.verifyLink": "Verify this campaign yourself",
  "campaign.provisional":
    "Right now, {count, plural, one {# person would be bound} other {# people would be bound}} to strike.",
  "campaign.provisionalNone": "Right now, no threshold is reached: nobody would be bound to strike.",
  "campaign.nextTip":
    "Next tipping point: {more, plural, one {# more person who chooses} other {# more people who choose}} {threshold, number} or fewer, and {then, plural, one {# person is} other {# people are}} bound to strike.",
  "campaign.nextTipAny":
    "Next tipping point: {more, plural, one {# more person, whatever number they choose} other {# more people, whatever number they choose}}, and {then, plural, one {# person is} other {# people are}} bound to strike.",
  "campaign.allReached": "Every threshold of the ladder is reached.",
  "campaign.unverified":
    "Nobody checks the pledges of this campaign: anyone may pledge, even several times with new receipts, so its counts are not verified. Read them as declarations, not as a head count.",
  "campaign.gateChecking": "Checking who the attester {address} is…",
  "campaign.gateVerified":
    "Each pledge needs an invite code from the union. Its code checker {address} is Bascule's own (its program checked here) and works for this campaign only: a code counts here and nowhere else.",
  "campaign.gateAccount":
    "Each pledge needs a voucher signed by the account {address} (for instance the union), who checks each person once. It is an account: whoever holds its key decides who pledges.",
  "campaign.gateAccountOrganiser":
    "Each pledge needs a voucher signed by the organiser's own account {address}: the organiser alone decides who pledges.",
  "campaign.gateUnchecked":
    "Warning: the attester {address} is a contract we cannot check. It may accept anyone, so the counts may be made of throw-away keys and the support may go to them. Treat this campaign as not verified.",
  "campaign.gateLookAlike":
    "Warning, look-alike: the attester {address} is a union's blind-voucher verifier bound to another campaign ({campaign}). No voucher can count here. Do not enter an invite code on this page: it would be used up for the real campaign.",
  "campaign.gatedOracle": "Support is paid only to the people whose presence {address} confirms after the action.",
  "campaign.finalLock":
    "Final lock from {date}: until the deadline, pledges can no longer be withdrawn or raised, and donations can no longer be withdrawn.",
  "campaign.finalLockActive":
    "The final lock began on {date}: until the deadline, pledges can no longer be withdrawn or raised, and donations can no longer be withdrawn. New pledges and donations are still welcome.",
  "campaign.nextTitle": "What happens next",
  "campaign.nextAction":
    "{count, plural, one {# person strikes} other {# people strike}} on {date}{place, select, none {} other {, {place}}}.",
  "campaign.nextActionAwaiting":
    "The action is on {date}{place, select, none {} other {, {place}}}; who is bound is final once the campaign is resolved.",
  "campaign.nextCheckin":
    "On {date}, each person bound opens their receipt and shows their attendance code at the union’s check-in: support is paid only to those checked in.",
  "campaign.nextSupportOracle":
    "Support: once the union has published who took part (by {oracleEnd}), each person checked in who asked for support claims it from their receipt, until {claimEnd}.",
  "campaign.nextSupport":
    "Support: each person bound who asked for support claims it from their receipt, until {claimEnd}.",
  "campaign.nextDesks": "Without a wallet, support is paid by a payout desk: {desks}.",
  "campaign.nextNoSupport": "No support is paid in this campaign: no donation covers a request.",
  "campaign.nextDonorsSurplus":
    "Donors: what the support does not use goes back to you; take it from “My donations” below with the wallet you gave with.",
  "campaign.nextFailed": "Nobody strikes on {date}: no threshold was reached, so no pledge binds.",
  "campaign.nextDonorsRefund":
    "Donors: every donation comes back in full; take it from “My donations” below with the wallet you gave with.",
  "campaign.recapTitle": "Check your pledge before signing",
  "campaign.recapThreshold":
    "I will strike on {date}{place, select, none {} other { ({place})}} if at least {threshold, plural, one {# person} other {# people}} pledge the same.",
  "campaign.recapSupport": "Support asked: {amount}, paid only if the strike happens and donations cover it.",
  "campaign.recapNoSupport": "No support asked.",
  "campaign.recapChange": "Until {deadline} you can change or withdraw this pledge with your receipt.",
  "campaign.recapConfirm": "This is right, make my receipt",
  "campaign.recapChangeLock":
    "Until {lockStart} you can change or withdraw this pledge with your receipt; from then until the deadline you can only lower your threshold or your support.",
};

export const fr: typeof en = {
  "campaign.headline":
    "{count, plural, =0 {Personne ne s’est encore engagé à faire grève le {date}.} one {# personne s’est engagée à faire grève le {date}, si le nombre qu’elle a choisi est atteint.} other {# personnes se sont engagées à faire grève le {date}, chacune si le nombre qu’elle a choisi est atteint.}}",
  "campaign.headlineAwaiting":
    "{count, plural, =0 {Personne ne s’est engagé à faire grève le {date}.} one {# personne s’est engagée à faire grève le {date}.} other {# personnes se sont engagées à faire grève le {date}.}} Le résultat sera définitif une fois la campagne résolue.",
  "campaign.headlineSucceeded":
    "{count, plural, one {# personne est tenue} other {# personnes sont tenues}} de faire grève le {date}.",
  "campaign.headlineFailed": "Aucun seuil n’a été atteint : personne n’est tenu de faire grève le {date}.",
  "campaign.subSucceeded":
    "Elles avaient accepté une grève à {threshold, number} ou moins. {free, plural, =0 {Tous les engagements ont été déclenchés.} one {# personne dont le seuil n’est pas atteint est libérée.} other {# personnes dont le seuil n’est pas atteint sont libérées.}}",
  "campaign.subFailed":
    "{count, plural, =0 {Personne ne s’était engagé.} one {# personne s’était engagée ; personne n’a à faire grève.} other {# personnes s’étaient engagées ; personne n’a à faire grève.}} Chaque don peut être repris en totalité.",
  "campaign.headlineIf": "S’il y en a",
  "campaign.headlineMeToo": ", moi aussi.",
  "campaign.chooseThreshold": "choisissez un nombre…",
  "campaign.pledgeButton": "Je m’engage",
  "campaign.supportLabel": "J’ai besoin d’un soutien pour pouvoir la faire (facultatif, jusqu’à {cap})",
  "campaign.supportInvalid": "Saisissez un montant entre 0 et {cap}.",
  "campaign.countdown": "Clôture dans {duration}",
  "campaign.pledgeUntil": "Engagements jusqu’au {date}.",
  "campaign.closed": "Engagements clos",
  "campaign.outcomeAwaiting":
    "La date limite est passée. Toute personne qui a un portefeuille peut résoudre la campagne ; cela ne coûte que les frais du réseau.",
  "campaign.resolveButton": "Résoudre maintenant",
  "campaign.verifyLink": "Vérifier cette campagne soi-même",
  "campaign.provisional":
    "En ce moment, {count, plural, one {# personne serait tenue} other {# personnes seraient tenues}} de faire grève.",
  "campaign.provisionalNone": "En ce moment, aucun seuil n’est atteint : personne ne serait tenu de faire grève.",
  "campaign.nextTip":
    "Prochaine bascule : encore {more, plural, one {# personne qui choisit} other {# personnes qui choisissent}} {threshold, number} ou moins, et {then, plural, one {# personne est tenue} other {# personnes sont tenues}} de faire grève.",
  "campaign.nextTipAny":
    "Prochaine bascule : encore {more, plural, one {# personne, quel que soit le nombre choisi} other {# personnes, quel que soit le nombre choisi}}, et {then, plural, one {# personne est tenue} other {# personnes sont tenues}} de faire grève.",
  "campaign.allReached": "Tous les seuils sont atteints.",
  "campaign.unverified":
    "Personne ne vérifie les engagements de cette campagne : chacun peut s’engager, même plusieurs fois avec de nouveaux reçus ; ses nombres ne sont donc pas vérifiés. Lisez-les comme des déclarations, pas comme un décompte.",
  "campaign.gateChecking": "Vérification de l’attestateur {address}…",
  "campaign.gateVerified":
    "Chaque engagement demande un code d’invitation du syndicat. Son vérificateur de codes {address} est celui de Bascule (son programme est vérifié ici) et ne sert que pour cette campagne : un code compte ici et nulle part ailleurs.",
  "campaign.gateAccount":
    "Chaque engagement demande un aval signé par le compte {address} (par exemple le syndicat), qui vérifie chaque personne une seule fois. C’est un compte : qui détient sa clé décide qui s’engage.",
  "campaign.gateAccountOrganiser":
    "Chaque engagement demande un aval signé par le compte de l’organisateur lui-même, {address} : l’organisateur décide seul qui s’engage.",
  "campaign.gateUnchecked":
    "Attention : l’attestateur {address} est un contrat que nous ne pouvons pas vérifier. Il peut accepter n’importe qui : les nombres peuvent être faits de clés jetables, et le soutien leur être versé. Considérez cette campagne comme non vérifiée.",
  "campaign.gateLookAlike":
    "Attention, imitation : l’attestateur {address} est le vérificateur d’avals aveugles d’un syndicat, lié à une autre campagne ({campaign}). Aucun aval ne peut compter ici. Ne saisissez pas de code d’invitation sur cette page : il serait consommé pour la vraie campagne.",
  "campaign.gatedOracle": "Le soutien n’est versé qu’aux personnes dont {address} confirme la présence après l’action.",
  "campaign.finalLock":
    "Verrou final à partir du {date} : jusqu’à la date limite, on ne peut plus retirer ni relever un engagement, ni retirer un don.",
  "campaign.finalLockActive":
    "Le verrou final a commencé le {date} : jusqu’à la date limite, on ne peut plus retirer ni relever un engagement, ni retirer un don. Les nouveaux engagements et les dons restent les bienvenus.",
  "campaign.nextTitle": "Et maintenant",
  "campaign.nextAction":
    "{count, plural, one {# personne fait grève} other {# personnes font grève}} le {date}{place, select, none {} other {, {place}}}.",
  "campaign.nextActionAwaiting":
    "L’action a lieu le {date}{place, select, none {} other {, {place}}} ; qui est tenu·e de faire grève sera définitif une fois la campagne résolue.",
  "campaign.nextCheckin":
    "Le {date}, chaque personne tenue de faire grève ouvre son reçu et montre son code de présence au pointage du syndicat : le soutien n’est versé qu’aux personnes pointées.",
  "campaign.nextSupportOracle":
    "Soutien : une fois que le syndicat a publié qui a participé (au plus tard le {oracleEnd}), chaque personne pointée qui a demandé un soutien le réclame depuis son reçu, jusqu’au {claimEnd}.",
  "campaign.nextSupport":
    "Soutien : chaque personne tenue de faire grève qui a demandé un soutien le réclame depuis son reçu, jusqu’au {claimEnd}.",
  "campaign.nextDesks": "Sans portefeuille, le soutien est versé par un guichet de paiement : {desks}.",
  "campaign.nextNoSupport": "Aucun soutien n’est versé dans cette campagne : aucun don ne couvre une demande.",
  "campaign.nextDonorsSurplus":
    "Donateurs : ce que le soutien n’utilise pas vous revient ; reprenez-le dans « Mes dons » ci-dessous avec le portefeuille qui a donné.",
  "campaign.nextFailed": "Personne ne fait grève le {date} : aucun seuil n’a été atteint, aucun engagement ne tient.",
  "campaign.nextDonorsRefund":
    "Donateurs : chaque don revient en totalité ; reprenez-le dans « Mes dons » ci-dessous avec le portefeuille qui a donné.",
  "campaign.recapTitle": "Vérifiez votre engagement avant de signer",
  "campaign.recapThreshold":
    "Je ferai grève le {date}{place, select, none {} other { ({place})}} si au moins {threshold, plural, one {# personne s’engage} other {# personnes s’engagent}} de même.",
  "campaign.recapSupport":
    "Soutien demandé : {amount}, versé seulement si la grève a lieu et que les dons le couvrent.",
  "campaign.recapNoSupport": "Aucun soutien demandé.",
  "campaign.recapChange": "Jusqu’au {deadline}, vous pouvez modifier ou retirer cet engagement avec votre reçu.",
  "campaign.recapConfirm": "C’est bien cela, créer mon reçu",
  "campaign.recapChangeLock":
    "Jusqu’au {lockStart}, vous pouvez modifier ou retirer cet engagement avec votre reçu ; ensuite, jusqu’à la date limite, vous pourrez seulement baisser votre seuil ou votre soutien.",
};
