/** how: the "how it works" page, in plain words. */
export const en = {
  "how.nav": "How it works",
  "how.title": "How it works",
  "how.lead":
    "Striking alone is risky; striking with many is not. Bascule lets each person say how many others they need, and binds people only once that many have said the same.",
  "how.thresholdsTitle": "Thresholds",
  "how.thresholds":
    "Each person says: “I will strike on the day if at least N people, me included, commit too.” Everyone picks their own N among the campaign's thresholds. You can also ask for support (money to make up a lost day's pay).",
  "how.bindsTitle": "What binds, and when",
  "how.binds":
    "Until the deadline, you can change or withdraw your pledge, except in the campaign's final lock (often the last 24 hours), when you can still pledge or lower your threshold but no longer withdraw or raise it. At the deadline the result is computed from every pledge: the largest threshold N such that at least N people chose N or less. Every pledge at that threshold or lower binds: those people strike together, and there are at least N of them. Pledges at higher thresholds do not bind: those people are free. If no threshold is reached, nobody is bound. The page shows the result of the moment before the deadline, and you can be notified when your threshold is reached.",
  "how.conditionsTitle": "Striking only if your support is covered",
  "how.conditions":
    "Where the campaign offers it, a striker who asks for support may add: “only if at least half (or all) of my request is covered”. Every supported striker receives the same share of their request. If the fund cannot cover that share, the pledge does not count and binds nobody; the campaign page shows, for each condition, how many count now and the coverage, and how much more request each group can take before it stops counting. In the last hours before the deadline (the final lock), a new pledge can no longer take a condition.",
  "how.moneyTitle": "Where the money sits, and when it moves",
  "how.money":
    "Donations sit in the campaign's own address on the blockchain, where anyone can check the balance. Nobody can take them, not even the organiser. Before the deadline (and before the final lock), a donor can take a donation back. After the result: if no threshold is reached, every donation goes back to its donor. Otherwise, donations at reached thresholds pay the support that bound strikers asked for (shared out if there is not enough), and what is left goes back to the donors.",
  "how.seeTitle": "Who can see what about you",
  "how.seeChain":
    "The blockchain (anyone): a random pledge key made in your browser, its threshold and the support asked. Not your name, not your wallet, not your address.",
  "how.seeRelayer":
    "The relayer (it sends your pledge so you need no crypto-currency): your IP address while it sends it, and the pledge key. It keeps no log of IP addresses.",
  "how.seeNotifier":
    "The notifier (only if you ask for notifications): the campaign, your threshold, your language and your browser's push address; never your pledge key. Your browser's push service (Google, Apple or Mozilla) learns that your device follows the campaign. The feed and the calendar file store nothing about you.",
  "how.seeOrganiser":
    "The organiser: the counts, like anyone. If the campaign checks members (an attester) or attendance (an oracle), the organiser may know which pledge keys belong to members or confirmed attendance.",
  "how.keepTitle": "What to keep",
  "how.keep":
    "Your receipt: the link, QR code or file shown when you pledge. It is the only key to your pledge: with it you change or withdraw it and claim your support. Keep it private: whoever has it can act for you. If you lose it, nobody can help you, because nobody else has it.",
};

export const fr: typeof en = {
  "how.nav": "Comment ça marche",
  "how.title": "Comment ça marche",
  "how.lead":
    "Faire grève seul, c’est risqué ; à beaucoup, ça ne l’est plus. Bascule permet à chacun de dire combien d’autres il lui faut, et n’engage les gens qu’une fois qu’ils sont assez nombreux à l’avoir dit.",
  "how.thresholdsTitle": "Les seuils",
  "how.thresholds":
    "Chacun dit : « Je ferai grève le jour dit si au moins N personnes, moi compris, s’engagent aussi. » Chacun choisit son N parmi les seuils de la campagne. On peut aussi demander un soutien (de l’argent pour compenser une journée de salaire perdue).",
  "how.bindsTitle": "Ce qui engage, et quand",
  "how.binds":
    "Jusqu’à la date limite, vous pouvez modifier ou retirer votre engagement, sauf pendant le verrou final de la campagne (souvent les 24 dernières heures) : on peut encore s’engager ou baisser son seuil, mais plus le retirer ni le relever. À la date limite, le résultat est calculé à partir de tous les engagements : le plus grand seuil N tel qu’au moins N personnes ont choisi N ou moins. Tout engagement à ce seuil ou en dessous compte : ces personnes font grève ensemble, et elles sont au moins N. Les engagements aux seuils plus hauts ne comptent pas : ces personnes sont libres. Si aucun seuil n’est atteint, personne n’est engagé. La page montre le résultat du moment avant la date limite, et vous pouvez être prévenu quand votre seuil est atteint.",
  "how.conditionsTitle": "Faire grève seulement si son soutien est couvert",
  "how.conditions":
    "Quand la campagne le propose, un·e gréviste qui demande un soutien peut ajouter : « seulement si au moins la moitié (ou la totalité) de ma demande est couverte ». Chaque gréviste soutenu·e reçoit la même part de sa demande. Si la caisse ne peut pas couvrir cette part, l’engagement ne compte pas et n’engage personne ; la page de la campagne montre, pour chaque condition, combien comptent en ce moment et la couverture, et combien de demandes chaque groupe peut encore recevoir avant de ne plus compter. Dans les dernières heures avant la date limite (le verrou final), un nouvel engagement ne peut plus avoir de condition.",
  "how.moneyTitle": "Où est l’argent, et quand il bouge",
  "how.money":
    "Les dons sont sur l’adresse propre de la campagne, sur la blockchain, où chacun peut vérifier le solde. Personne ne peut les prendre, pas même l’organisateur. Avant la date limite (et avant le verrou final), un donateur peut reprendre son don. Après le résultat : si aucun seuil n’est atteint, chaque don retourne à son donateur. Sinon, les dons aux seuils atteints paient le soutien demandé par les grévistes engagés (partagé s’il ne suffit pas), et le reste retourne aux donateurs.",
  "how.seeTitle": "Qui peut voir quoi de vous",
  "how.seeChain":
    "La blockchain (tout le monde) : une clé d’engagement tirée au hasard dans votre navigateur, son seuil et le soutien demandé. Ni votre nom, ni votre portefeuille, ni votre adresse.",
  "how.seeRelayer":
    "Le relais (il envoie votre engagement pour que vous n’ayez pas besoin de crypto-monnaie) : votre adresse IP le temps de l’envoi, et la clé d’engagement. Il ne garde aucun journal des adresses IP.",
  "how.seeNotifier":
    "Le service de notifications (seulement si vous en demandez) : la campagne, votre seuil, votre langue et l’adresse de notifications de votre navigateur ; jamais votre clé d’engagement. Le service de notifications de votre navigateur (Google, Apple ou Mozilla) apprend que votre appareil suit la campagne. Le fil et le fichier d’agenda ne gardent rien sur vous.",
  "how.seeOrganiser":
    "L’organisateur : les décomptes, comme tout le monde. Si la campagne vérifie les adhérents (un attestateur) ou la présence (un oracle), l’organisateur peut savoir quelles clés appartiennent à des adhérents ou ont confirmé leur présence.",
  "how.keepTitle": "Ce qu’il faut garder",
  "how.keep":
    "Votre reçu : le lien, le QR code ou le fichier montrés quand vous vous engagez. C’est la seule clé de votre engagement : avec lui, vous le modifiez, le retirez et réclamez votre soutien. Gardez-le pour vous : qui l’a peut agir à votre place. Si vous le perdez, personne ne peut vous aider, car personne d’autre ne l’a.",
};
