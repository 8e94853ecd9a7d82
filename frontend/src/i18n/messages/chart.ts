/** chart: the picture of the forming crowd (components/Chart.tsx). */
export const en = {
  "chart.titleOpen": "How the crowd is forming",
  "chart.titleClosed": "How the pledges stood at the deadline",
  "chart.declared": "{count, plural, =0 {Nobody has pledged yet} one {# person pledged} other {# people pledged}}",
  "chart.actNow": "{count, plural, =0 {nobody would strike now} one {# would strike now} other {# would strike now}}",
  "chart.actFinal": "{count, plural, =0 {nobody bound to strike} one {# bound to strike} other {# bound to strike}}",
  "chart.waiting":
    "{count, plural, =0 {nobody waits for a higher count} one {# waits for a higher count} other {# wait for a higher count}}",
  "chart.waitingFinal":
    "{count, plural, =0 {nobody left free} one {# left free: threshold not reached} other {# left free: threshold not reached}}",
  "chart.uncovered":
    "{count, plural, one {# waits for their support to be covered} other {# wait for their support to be covered}}",
  "chart.uncoveredFinal":
    "{count, plural, one {# left free: support not covered enough} other {# left free: support not covered enough}}",
  "chart.explain":
    "Each line is a threshold: how many people accept to strike with that many or fewer, against how many it needs. A full line is reached: those people would strike.",
  "chart.threshold": "{count, plural, one {# person} other {# people}}",
  "chart.rowValue": "{have, number} of {need, number}",
  "chart.rowMissing": "{count, plural, one {# missing} other {# missing}}",
  "chart.rowReached": "reached",
  "chart.nextLegend": "next tipping point",
  "chart.nextMark": "next tipping point: {count, number} more",
  "chart.tableCaption": "Pledges per threshold",
  "chart.colThreshold": "Threshold (people)",
  "chart.colPledges": "Pledges at this threshold",
  "chart.colAccept": "People who accept this count",
  "chart.colState": "State",
  "chart.arrived": "{count, plural, one {# new pledge} other {# new pledges}}",
};

export const fr: typeof en = {
  "chart.titleOpen": "Comment la foule se forme",
  "chart.titleClosed": "Les engagements à la date limite",
  "chart.declared":
    "{count, plural, =0 {Personne ne s’est encore engagé} one {# personne engagée} other {# personnes engagées}}",
  "chart.actNow":
    "{count, plural, =0 {personne ne ferait grève maintenant} one {# ferait grève maintenant} other {# feraient grève maintenant}}",
  "chart.actFinal":
    "{count, plural, =0 {personne n’est tenu de faire grève} one {# tenue de faire grève} other {# tenues de faire grève}}",
  "chart.waiting":
    "{count, plural, =0 {personne n’attend un nombre plus grand} one {# attend un nombre plus grand} other {# attendent un nombre plus grand}}",
  "chart.waitingFinal":
    "{count, plural, =0 {personne n’est libéré} one {# libérée : seuil non atteint} other {# libérées : seuil non atteint}}",
  "chart.uncovered":
    "{count, plural, one {# attend que son soutien soit couvert} other {# attendent que leur soutien soit couvert}}",
  "chart.uncoveredFinal":
    "{count, plural, one {# libérée : soutien pas assez couvert} other {# libérées : soutien pas assez couvert}}",
  "chart.explain":
    "Chaque ligne est un seuil : combien de personnes acceptent de faire grève à ce nombre ou moins, face au nombre qu’il faut. Une ligne pleine est atteinte : ces personnes feraient grève.",
  "chart.threshold": "{count, plural, one {# personne} other {# personnes}}",
  "chart.rowValue": "{have, number} sur {need, number}",
  "chart.rowMissing": "{count, plural, one {il en manque #} other {il en manque #}}",
  "chart.rowReached": "atteint",
  "chart.nextLegend": "prochaine bascule",
  "chart.nextMark": "prochaine bascule : encore {count, number}",
  "chart.tableCaption": "Engagements par seuil",
  "chart.colThreshold": "Seuil (personnes)",
  "chart.colPledges": "Engagements à ce seuil",
  "chart.colAccept": "Personnes qui acceptent ce nombre",
  "chart.colState": "État",
  "chart.arrived": "{count, plural, one {# nouvel engagement} other {# nouveaux engagements}}",
};
