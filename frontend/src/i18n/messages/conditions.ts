/**
 * conditions: support-conditional pledges (MECHANISM.md, "Support-conditional pledges"): the choice in
 * the pledge flow and its sentences, the "at least X" field, the final lock's rules, a receipt's
 * standing and the campaign page's coverage per condition. `kind` is none / half / all / another
 * class, shown as {percent}.
 */
export const en = {
  "conditions.legend": "Do you strike only if your support is covered?",
  "conditions.option":
    "{kind, select, none {No condition} half {At least half of my request covered} all {All of my request covered} other {At least {percent} of my request covered}}",
  "conditions.name":
    "{kind, select, none {No condition} half {At least half covered} all {All covered} other {At least {percent} covered}}",
  "conditions.sentence":
    "{threshold, plural, =1 {I strike on {date} whatever the number, if} other {I strike on {date} if # people do and if}} {kind, select, half {at least half} all {all} other {at least {percent}}} of my day’s pay ({amount}) is covered.",
  "conditions.beneath":
    "If the fund cannot cover that much, my pledge does not count and I am not bound. If it counts, I receive the same share of my request as every supported striker: {kind, select, half {at least half} all {all of it} other {at least {percent}}}.",
  "conditions.beneathNone":
    "My pledge counts whatever the fund covers. I receive the same share of my request as every supported striker, which may be little.",
  "conditions.atLeastLabel": "Or type the least you need ({unit})",
  "conditions.atLeastHelp":
    "The smallest class that guarantees it is chosen for you, never one that would give you less.",
  "conditions.atLeastPicked":
    "{kind, select, none {Nothing is needed: no condition.} other {Chosen: “{name}”. If your pledge counts, you receive at least {guaranteed}.}}",
  "conditions.atLeastAbove": "It cannot be more than your request ({amount}): lower it, or ask for more support.",
  "conditions.atLeastAboveOffered":
    "This campaign covers at most {percent} of a request, {amount} of yours: you cannot ask for more as a condition.",
  "conditions.atLeastInvalid": "Type an amount in figures, such as 37.50.",
  "conditions.lockedNew":
    "The final lock has begun: a new pledge can no longer have a condition, so that a late request cannot push a whole group out of the strike.",
  "conditions.lockedChange":
    "Final lock: your pledge has a condition, so until the deadline you can only lower your support request. Your threshold and your condition stay as they are.",
  "conditions.finalLockRules":
    "Then too, a new pledge can no longer have a support condition, and a pledge that has one may only lower its support request.",
  "conditions.recapChangeLock":
    "Until {lockStart} you can change or withdraw this pledge with your receipt; from then until the deadline, since it has a condition, you can only lower your support request.",
  "conditions.receiptCondition": "Condition: {name}.",
  "conditions.countedNow": "Counted now, coverage {percent}.",
  "conditions.countedNowAmount": "Counted now, coverage {percent}: {amount} of your request if it stays so.",
  "conditions.notCounted":
    "Not counted yet: {amount} more donated at a threshold of {threshold, plural, one {# person} other {# people}} or less would let your group in.",
  "conditions.notCountedNoDonation":
    "Not counted yet, and donations alone would not let your group in now: it takes more pledges at your threshold or below, or smaller requests in your group.",
  "conditions.prospectIn": "If you pledge now: your pledge would count, coverage {percent}.",
  "conditions.prospectOut": "If you pledge now: your pledge would not count yet.",
  "conditions.panelTitle": "Support conditions",
  "conditions.panelExplain":
    "Some strikers pledge only if enough of their request is covered. Every supported striker receives the same share of their request; a group whose condition the fund cannot meet does not count.",
  "conditions.rowCount":
    "{pledged, plural, =0 {no pledge yet.} other {{count, plural, =0 {none counts now} one {# counts now} other {# count now}}, of {pledged, plural, one {# pledge} other {# pledges}}.}}",
  "conditions.rowCountFinal":
    "{pledged, plural, =0 {no pledge.} other {{count, plural, =0 {none was counted} one {# was counted} other {# were counted}}, of {pledged, plural, one {# pledge} other {# pledges}}.}}",
  "conditions.coverageNow": "Coverage now: every counted request is covered at {percent}.",
  "conditions.coverageNoRequest": "Nobody counted asks for support yet.",
  "conditions.bucketsTitle": "Groups with a condition",
  "conditions.bucket":
    "{name}, threshold {threshold, number}: {count, plural, one {# pledge} other {# pledges}}, {amount} requested.",
  "conditions.bucketOut": "Does not count now.",
  "conditions.slack": "This group can take {amount} more requests before it stops counting.",
  "conditions.slackNone": "This group can take no more request: one more would stop it counting.",
};

export const fr: typeof en = {
  "conditions.legend": "Faites-vous grève seulement si votre soutien est couvert ?",
  "conditions.option":
    "{kind, select, none {Sans condition} half {Au moins la moitié de ma demande couverte} all {Toute ma demande couverte} other {Au moins {percent} de ma demande couverte}}",
  "conditions.name":
    "{kind, select, none {Sans condition} half {Au moins la moitié couverte} all {Toute la demande couverte} other {Au moins {percent} couverts}}",
  "conditions.sentence":
    "{threshold, plural, =1 {Je fais grève le {date} quel que soit le nombre, si} one {Je fais grève le {date} si # personne fait de même et si} other {Je fais grève le {date} si # personnes font de même et si}} {kind, select, half {au moins la moitié} all {la totalité} other {au moins {percent}}} de ma journée de salaire ({amount}) est couverte.",
  "conditions.beneath":
    "Si la caisse ne peut pas couvrir autant, mon engagement ne compte pas et je ne suis pas tenu·e. S’il compte, je reçois la même part de ma demande que chaque gréviste soutenu·e : {kind, select, half {au moins la moitié} all {la totalité} other {au moins {percent}}}.",
  "conditions.beneathNone":
    "Mon engagement compte quoi que couvre la caisse. Je reçois la même part de ma demande que chaque gréviste soutenu·e, qui peut être faible.",
  "conditions.atLeastLabel": "Ou saisissez le minimum dont vous avez besoin ({unit})",
  "conditions.atLeastHelp":
    "La plus petite condition qui le garantit est choisie pour vous, jamais une qui vous donnerait moins.",
  "conditions.atLeastPicked":
    "{kind, select, none {Rien n’est nécessaire : sans condition.} other {Choisi : « {name} ». Si votre engagement compte, vous recevez au moins {guaranteed}.}}",
  "conditions.atLeastAbove":
    "Ce ne peut pas être plus que votre demande ({amount}) : baissez-le, ou demandez plus de soutien.",
  "conditions.atLeastAboveOffered":
    "Cette campagne couvre au plus {percent} d’une demande, soit {amount} de la vôtre : vous ne pouvez pas poser plus comme condition.",
  "conditions.atLeastInvalid": "Saisissez un montant en chiffres, par exemple 37,50.",
  "conditions.lockedNew":
    "Le verrou final a commencé : un nouvel engagement ne peut plus avoir de condition, pour qu’une demande tardive ne puisse pas exclure tout un groupe de la grève.",
  "conditions.lockedChange":
    "Verrou final : votre engagement a une condition, donc jusqu’à la date limite vous pouvez seulement baisser votre demande de soutien. Votre seuil et votre condition restent tels quels.",
  "conditions.finalLockRules":
    "Dès lors aussi, un nouvel engagement ne peut plus avoir de condition de soutien, et un engagement qui en a une peut seulement baisser sa demande de soutien.",
  "conditions.recapChangeLock":
    "Jusqu’au {lockStart}, vous pouvez modifier ou retirer cet engagement avec votre reçu ; ensuite, jusqu’à la date limite, comme il a une condition, vous pourrez seulement baisser votre demande de soutien.",
  "conditions.receiptCondition": "Condition : {name}.",
  "conditions.countedNow": "Compté en ce moment, couverture {percent}.",
  "conditions.countedNowAmount":
    "Compté en ce moment, couverture {percent} : {amount} de votre demande si cela reste ainsi.",
  "conditions.notCounted":
    "Pas encore compté : {amount} de dons en plus à un seuil de {threshold, plural, one {# personne} other {# personnes}} ou moins feraient entrer votre groupe.",
  "conditions.notCountedNoDonation":
    "Pas encore compté, et des dons seuls ne feraient pas entrer votre groupe pour l’instant : il faut plus d’engagements à votre seuil ou en dessous, ou des demandes plus petites dans votre groupe.",
  "conditions.prospectIn": "Si vous vous engagez maintenant : votre engagement compterait, couverture {percent}.",
  "conditions.prospectOut": "Si vous vous engagez maintenant : votre engagement ne compterait pas encore.",
  "conditions.panelTitle": "Conditions de soutien",
  "conditions.panelExplain":
    "Certain·es grévistes ne s’engagent que si leur demande est assez couverte. Chaque gréviste soutenu·e reçoit la même part de sa demande ; un groupe dont la caisse ne peut pas tenir la condition ne compte pas.",
  "conditions.rowCount":
    "{pledged, plural, =0 {aucun engagement pour l’instant.} other {{count, plural, =0 {aucun ne compte en ce moment} one {# compte en ce moment} other {# comptent en ce moment}}, sur {pledged, plural, one {# engagement} other {# engagements}}.}}",
  "conditions.rowCountFinal":
    "{pledged, plural, =0 {aucun engagement.} other {{count, plural, =0 {aucun n’a été compté} one {# a été compté} other {# ont été comptés}}, sur {pledged, plural, one {# engagement} other {# engagements}}.}}",
  "conditions.coverageNow": "Couverture en ce moment : chaque demande comptée est couverte à {percent}.",
  "conditions.coverageNoRequest": "Personne parmi les engagements comptés ne demande de soutien pour l’instant.",
  "conditions.bucketsTitle": "Groupes avec une condition",
  "conditions.bucket":
    "{name}, seuil {threshold, number} : {count, plural, one {# engagement} other {# engagements}}, {amount} demandés.",
  "conditions.bucketOut": "Ne compte pas en ce moment.",
  "conditions.slack": "Ce groupe peut encore recevoir {amount} de demandes avant de ne plus compter.",
  "conditions.slackNone": "Ce groupe ne peut plus recevoir de demande : une de plus l’empêcherait de compter.",
};
