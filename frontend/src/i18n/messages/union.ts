/** union: invite codes, blind vouchers, check-in. ICU MessageFormat strings, English and French. */
export const en = {
  "union.inviteTitle": "Invite code",
  "union.inviteHelp":
    "This campaign is for union members: enter the code on the card your union gave you. Your union never sees your pledge key, and cannot tell which pledge is yours.",
  "union.inviteLabel": "Invite code (on your card)",
  "union.inviteMissing": "Enter your invite code first.",
  "union.gettingVoucher": "Getting your union's voucher…",
  "union.voucherBad": "The union's answer does not match this campaign's key. Nothing was sent; tell your union.",
  "union.noAttester": "This campaign is for union members, but it names no union service to get a voucher from.",
  "union.lookAlike":
    "Do not enter your invite code here: this campaign is a look-alike. Its verifier belongs to another campaign (named on this page), so a voucher would count for nothing here and your code would be used up. Nothing was sent to the union.",
  "union.invitesTitle": "Invite codes",
  "union.invitesHelp":
    "Each code lets one member pledge once. Print the cards, hand them out, keep the CSV. Codes are shown only now: the service keeps only which ones were used.",
  "union.token": "Organiser token (printed by the attester service when it started)",
  "union.howMany": "How many codes",
  "union.create": "Create the codes",
  "union.creating": "Creating…",
  "union.counts": "{count, plural, one {# code issued} other {# codes issued}}",
  "union.redeemed": "{count, plural, =0 {none used yet} one {# used} other {# used}}",
  "union.revokedCount": "{count, plural, =0 {none revoked} one {# revoked} other {# revoked}}",
  "union.batch": "Batch {id}",
  "union.revokeBatch": "Revoke the unused codes of this batch",
  "union.revokeDone": "{count, plural, =0 {No unused code to revoke.} one {# code revoked.} other {# codes revoked.}}",
  "union.downloadCsv": "Download the codes (CSV)",
  "union.print": "Print the cards",
  "union.cardTitle": "Your invite to pledge",
  "union.cardText": "Scan the code or open the link, then enter this code. One pledge per card. Keep it private.",
  "union.refresh": "Refresh the counts",
  "union.notGated": "This campaign takes no blind vouchers (its attester is not a blind-voucher verifier).",
  "union.checkinTitle": "Check-in",
  "union.checkinHelp":
    "Scan the attendance codes of the people present, or paste a code given another way. Each code is checked here, even offline, and kept in this browser. When done, send the list for publication (below).",
  "union.scanStart": "Start the camera",
  "union.scanStop": "Stop the camera",
  "union.pasteLabel": "Paste an attendance code",
  "union.pasteAdd": "Check and add",
  "union.checkedIn":
    "{count, plural, =0 {Nobody checked in yet.} one {# person checked in.} other {# people checked in.}}",
  "union.accepted": "Accepted: {address}",
  "union.already": "Already checked in: {address}",
  "union.malformed": "This is not an attendance code.",
  "union.badSignature": "This code is not valid for this campaign (wrong or altered).",
  "union.notPledged": "This code is valid but its key has no pledge in this campaign.",
  "union.importFiles": "Merge files from other scanners",
  "union.importHelp":
    "The attendance codes in each file are checked again here; a file with a single code that fails is refused whole.",
  "union.merging":
    "{total, plural, =0 {Checking {file}…} other {Checking {file}: {done, number} of {total, number} codes…}}",
  "union.mergeDone":
    "{file}: {count, plural, =0 {merged, nothing new (every check-in in it was already here).} one {merged, # new check-in.} other {merged, # new check-ins.}}",
  "union.import.tooLarge":
    "{file} refused: larger than a check-in file can be (at most {entries, number} entries and {megabytes, number} MB). Nothing was merged.",
  "union.import.notCheckin": "{file} refused: it is not a check-in file. Nothing was merged.",
  "union.import.oldFormat":
    "{file} refused: it lists addresses without their attendance codes (a bare list, or a file from an earlier version), so nothing in it can be checked. Nothing was merged: ask the scanner to export it again from the check-in page.",
  "union.import.otherCampaign":
    "{file} refused: it is the check-in file of another campaign or network. Nothing was merged.",
  "union.import.otherDate": "{file} refused: its codes are for another action date. Nothing was merged.",
  "union.import.listMismatch":
    "{file} refused: its list for the keeper does not match its attendance codes (the file was altered). Nothing was merged: ask the scanner to export it again.",
  "union.import.entries":
    "{file} refused, nothing was merged: {count, plural, =0 {no code fails} one {# code fails} other {# codes fail}} the check ({why}). Ask the scanner to export it again, or check the codes one by one.",
  "union.importFailed.badSignature":
    "{count, plural, one {# altered or signed for another campaign or date} other {# altered or signed for another campaign or date}}",
  "union.importFailed.notPledged":
    "{count, plural, one {# whose key has no pledge in this campaign} other {# whose keys have no pledge in this campaign}}",
  "union.importFailed.malformed": "{count, plural, one {# not an attendance code} other {# not attendance codes}}",
  "union.importFailed.and": "; ",
  "union.pledgedKnown":
    "{count, plural, one {# pledge key known (kept for offline checks)} other {# pledge keys known (kept for offline checks)}}",
  "union.cameraError": "The camera could not be started. Allow it in the browser, or paste codes instead.",
  "union.checkinOffline": "No connection: codes are checked against the pledge keys this device read last time.",
  "union.scannerError":
    "The code reader could not be loaded on this device. Paste the codes instead, or open this page once with a connection.",
  "union.attendanceTitle": "Attendance code",
  "union.attendanceHelp":
    "Show this code at the check-in, or send the text to your union. It proves this pledge took part without revealing the receipt: the key never leaves this device.",
  "union.attendanceShow": "Show my attendance code",
  "union.organiserLinks": "Union tools",
  "union.organiserLinksLead": "Union tools:",
  "union.invitesLink": "Invite codes",
  "union.checkinLink": "Check-in",
  "union.claimViaDesk": "Paid by bank transfer by",
  "union.deskSent":
    "Your claim is sent to {desk}. Make your desk slip below and show it at the desk with your bank details.",
  "union.deskLink": "Payout desk",
  "union.deskLinkNamed": "Payout desk: {name}",
  "union.deskTitle": "Payout desk",
  "union.deskHelp":
    "Pay only on a desk slip: the beneficiary makes it from their receipt for this desk and the bank account to pay. This page checks it against the claim on the blockchain and the bank details you type, and shows the amount. A reference or an address is no proof: anyone reading the blockchain knows them. Paid marks are kept by the union's service and shared by every clerk of this desk, so no claim is paid twice.",
  "union.deskNone": "No claim has been sent to this desk yet.",
  "union.deskPaid": "Paid",
  "union.deskUnpaid": "Not paid",
  "union.deskPaidWhen": "Paid on {when} by {clerk}",
  "union.deskPaidUnknown": "Unknown (ledger unreachable)",
  "union.deskCsv": "Export as CSV",
  "union.deskReferenceCol": "Reference",
  "union.deskAmountCol": "Amount",
  "union.deskClaims": "Claims sent to this desk",
  "union.deskTokenLabel": "Desk token (given by your union's organiser)",
  "union.deskClerkLabel": "Your name as a clerk (kept with each payment you mark)",
  "union.deskLedgerOk":
    "{count, plural, =0 {Connected to the union's ledger: no claim paid yet.} one {Connected to the union's ledger: # claim paid.} other {Connected to the union's ledger: # claims paid.}}",
  "union.deskLedgerNeedsToken": "Enter the desk token to see what is paid and to mark payments.",
  "union.deskLedgerDown":
    "The union's ledger cannot be reached: do not pay anyone now. A payment cannot be marked, and this page cannot tell whether a claim was already paid by another clerk.",
  "union.deskLedgerRefused":
    "The union's ledger refused this desk token (see below): do not pay anyone until this page is connected to it.",
  "union.deskLedgerNone":
    "This campaign names no union service for the desk ledger: paid marks cannot be shared, so this page will not mark payments. Ask the organiser.",
  "union.deskCheckTitle": "Check a desk slip",
  "union.deskSlipLabel": "Desk slip (paste the text, or scan its QR code with your phone and paste)",
  "union.deskIbanLabel": "IBAN of the account you will pay",
  "union.deskHolderLabel": "Account holder's name",
  "union.deskCheck": "Check",
  "union.deskPay": "Pay {amount} to {holder}, IBAN {iban}.",
  "union.deskPayRef": "Claim {reference}",
  "union.deskMark": "I paid it: mark as paid",
  "union.deskMarked": "Marked paid. Every clerk of this desk now sees it paid.",
  "union.deskMarkNeedsLedger":
    "Connect to the union's ledger (desk token) before paying: otherwise the payment cannot be marked.",
  "union.deskMarkNeedsClerk": "Enter your name as a clerk first.",
  "union.desk.malformed":
    "This is not a desk slip. A reference or an address is not enough: ask for the slip from the receipt.",
  "union.desk.otherChain": "This slip is for another network. Do not pay.",
  "union.desk.otherCampaign": "This slip is for another campaign. Do not pay.",
  "union.desk.otherDesk": "This slip is for another desk. Do not pay: the beneficiary must make a slip for this desk.",
  "union.desk.badSignature": "This slip was not made by the beneficiary's receipt (forged or altered). Do not pay.",
  "union.desk.bankMismatch":
    "The bank details typed are not the ones the beneficiary signed. Check the IBAN and the name, or ask for a new slip; do not pay another account.",
  "union.desk.noClaim": "No claim of this receipt was sent to this desk (yet). Do not pay.",
  "union.desk.alreadyPaid": "Already paid on {when} by {clerk}. Do not pay again.",
  "union.desk.ibanMissing": "Enter the IBAN.",
  "union.desk.ibanCountry": "This IBAN does not start with a known country code (FR…, DE…).",
  "union.desk.ibanFormat": "This IBAN has the wrong length or characters for its country.",
  "union.desk.ibanChecksum": "This IBAN's check digits are wrong: a character is mistyped.",
  "union.desk.nameMissing": "Enter the account holder's name.",
  "union.slipTitle": "Desk slip",
  "union.slipHelp":
    "To be paid by {desk}, type the bank account to pay and make your slip: show its QR code at the desk, or send the text with the same bank details. Only this receipt can make it, and it pays only this account. Nothing is stored: make it again at any time.",
  "union.slipDesk": "Desk",
  "union.slipMake": "Make my desk slip",
  "union.slipMade": "Your desk slip for {desk}, for the account {iban} ({holder}):",
  "union.slipCopy": "Copy the text",
  "union.slipCopied": "Copied.",
};

export const fr: typeof en = {
  "union.inviteTitle": "Code d’invitation",
  "union.inviteHelp":
    "Cette campagne est réservée aux syndiqué·es : saisissez le code de la carte remise par votre syndicat. Votre syndicat ne voit jamais votre clé d’engagement et ne peut pas savoir quel engagement est le vôtre.",
  "union.inviteLabel": "Code d’invitation (sur votre carte)",
  "union.inviteMissing": "Saisissez d’abord votre code d’invitation.",
  "union.gettingVoucher": "Obtention de l’attestation du syndicat…",
  "union.voucherBad":
    "La réponse du syndicat ne correspond pas à la clé de cette campagne. Rien n’a été envoyé ; prévenez votre syndicat.",
  "union.lookAlike":
    "Ne saisissez pas votre code d’invitation ici : cette campagne est une imitation. Son vérificateur appartient à une autre campagne (nommée sur cette page) : un aval ne compterait pour rien ici et votre code serait consommé. Rien n’a été envoyé au syndicat.",
  "union.noAttester":
    "Cette campagne est réservée aux syndiqué·es, mais n’indique aucun service syndical auprès duquel obtenir une attestation.",
  "union.invitesTitle": "Codes d’invitation",
  "union.invitesHelp":
    "Chaque code permet à une personne de s’engager une fois. Imprimez les cartes, distribuez-les, gardez le CSV. Les codes ne sont montrés que maintenant : le service ne garde que ceux qui ont servi.",
  "union.token": "Jeton d’organisation (affiché par le service d’attestation à son démarrage)",
  "union.howMany": "Nombre de codes",
  "union.create": "Créer les codes",
  "union.creating": "Création…",
  "union.counts": "{count, plural, one {# code émis} other {# codes émis}}",
  "union.redeemed": "{count, plural, =0 {aucun utilisé} one {# utilisé} other {# utilisés}}",
  "union.revokedCount": "{count, plural, =0 {aucun annulé} one {# annulé} other {# annulés}}",
  "union.batch": "Lot {id}",
  "union.revokeBatch": "Annuler les codes inutilisés de ce lot",
  "union.revokeDone":
    "{count, plural, =0 {Aucun code inutilisé à annuler.} one {# code annulé.} other {# codes annulés.}}",
  "union.downloadCsv": "Télécharger les codes (CSV)",
  "union.print": "Imprimer les cartes",
  "union.cardTitle": "Votre invitation à vous engager",
  "union.cardText":
    "Scannez le code ou ouvrez le lien, puis saisissez ce code. Un engagement par carte. Gardez-la pour vous.",
  "union.refresh": "Actualiser les compteurs",
  "union.notGated":
    "Cette campagne n’accepte pas d’attestations aveugles (son attestateur n’est pas un vérificateur d’attestations aveugles).",
  "union.checkinTitle": "Pointage",
  "union.checkinHelp":
    "Scannez les codes de présence des personnes présentes, ou collez un code transmis autrement. Chaque code est vérifié ici, même hors ligne, et gardé dans ce navigateur. À la fin, envoyez la liste pour publication (plus bas).",
  "union.scanStart": "Allumer la caméra",
  "union.scanStop": "Éteindre la caméra",
  "union.pasteLabel": "Coller un code de présence",
  "union.pasteAdd": "Vérifier et ajouter",
  "union.checkedIn":
    "{count, plural, =0 {Personne n’est encore pointé.} one {# personne pointée.} other {# personnes pointées.}}",
  "union.accepted": "Accepté : {address}",
  "union.already": "Déjà pointé : {address}",
  "union.malformed": "Ce n’est pas un code de présence.",
  "union.badSignature": "Ce code n’est pas valable pour cette campagne (erroné ou modifié).",
  "union.notPledged": "Ce code est valable mais sa clé n’a pas d’engagement dans cette campagne.",
  "union.importFiles": "Fusionner les fichiers d’autres scanners",
  "union.importHelp":
    "Les codes de présence de chaque fichier sont vérifiés à nouveau ici ; un fichier dont un seul code échoue est refusé en entier.",
  "union.merging":
    "{total, plural, =0 {Vérification de {file}…} other {Vérification de {file} : {done, number} codes sur {total, number}…}}",
  "union.mergeDone":
    "{file} : {count, plural, =0 {fusionné, rien de nouveau (tous ses pointages étaient déjà là).} one {fusionné, # nouveau pointage.} other {fusionné, # nouveaux pointages.}}",
  "union.import.tooLarge":
    "{file} refusé : plus grand qu’un fichier de pointage ne peut l’être (au plus {entries, number} entrées et {megabytes, number} Mo). Rien n’a été fusionné.",
  "union.import.notCheckin": "{file} refusé : ce n’est pas un fichier de pointage. Rien n’a été fusionné.",
  "union.import.oldFormat":
    "{file} refusé : il donne des adresses sans leurs codes de présence (une simple liste, ou un fichier d’une version précédente), rien n’y peut donc être vérifié. Rien n’a été fusionné : demandez au scanner de l’exporter à nouveau depuis la page de pointage.",
  "union.import.otherCampaign":
    "{file} refusé : c’est le fichier de pointage d’une autre campagne ou d’un autre réseau. Rien n’a été fusionné.",
  "union.import.otherDate": "{file} refusé : ses codes sont pour une autre date d’action. Rien n’a été fusionné.",
  "union.import.listMismatch":
    "{file} refusé : sa liste pour le gardien ne correspond pas à ses codes de présence (le fichier a été modifié). Rien n’a été fusionné : demandez au scanner de l’exporter à nouveau.",
  "union.import.entries":
    "{file} refusé, rien n’a été fusionné : {count, plural, =0 {aucun code n’échoue} one {# code échoue} other {# codes échouent}} à la vérification ({why}). Demandez au scanner de l’exporter à nouveau, ou vérifiez les codes un par un.",
  "union.importFailed.badSignature":
    "{count, plural, one {# modifié ou signé pour une autre campagne ou date} other {# modifiés ou signés pour une autre campagne ou date}}",
  "union.importFailed.notPledged":
    "{count, plural, one {# dont la clé n’a pas d’engagement dans cette campagne} other {# dont les clés n’ont pas d’engagement dans cette campagne}}",
  "union.importFailed.malformed":
    "{count, plural, one {# qui n’est pas un code de présence} other {# qui ne sont pas des codes de présence}}",
  "union.importFailed.and": " ; ",
  "union.pledgedKnown":
    "{count, plural, one {# clé d’engagement connue (gardée pour vérifier hors ligne)} other {# clés d’engagement connues (gardées pour vérifier hors ligne)}}",
  "union.cameraError": "La caméra n’a pas pu démarrer. Autorisez-la dans le navigateur, ou collez les codes.",
  "union.checkinOffline":
    "Pas de connexion : les codes sont vérifiés avec les clés d’engagement lues la dernière fois sur cet appareil.",
  "union.scannerError":
    "Le lecteur de codes n’a pas pu être chargé sur cet appareil. Collez les codes, ou ouvrez cette page une fois avec une connexion.",
  "union.attendanceTitle": "Code de présence",
  "union.attendanceHelp":
    "Montrez ce code au pointage, ou envoyez le texte à votre syndicat. Il prouve que cet engagement a participé sans dévoiler le reçu : la clé ne quitte jamais cet appareil.",
  "union.attendanceShow": "Afficher mon code de présence",
  "union.organiserLinks": "Outils syndicaux",
  "union.organiserLinksLead": "Outils syndicaux :",
  "union.invitesLink": "Codes d’invitation",
  "union.checkinLink": "Pointage",
  "union.claimViaDesk": "Payé par virement par",
  "union.deskSent":
    "Votre demande est envoyée à {desk}. Faites ci-dessous votre bon de guichet et présentez-le au guichet avec votre RIB.",
  "union.deskLink": "Guichet de paiement",
  "union.deskLinkNamed": "Guichet de paiement : {name}",
  "union.deskTitle": "Guichet de paiement",
  "union.deskHelp":
    "Ne payez que sur bon de guichet : la personne bénéficiaire le fait depuis son reçu, pour ce guichet et le compte à payer. Cette page le vérifie avec la demande inscrite sur la blockchain et les coordonnées bancaires que vous saisissez, et affiche le montant. Une référence ou une adresse ne prouve rien : quiconque lit la blockchain les connaît. Les marques « payé » sont gardées par le service du syndicat et partagées par tous les postes de ce guichet, pour qu’aucune demande ne soit payée deux fois.",
  "union.deskNone": "Aucune demande n’a encore été adressée à ce guichet.",
  "union.deskPaid": "Payé",
  "union.deskUnpaid": "Non payée",
  "union.deskPaidWhen": "Payée le {when} par {clerk}",
  "union.deskPaidUnknown": "Inconnu (registre injoignable)",
  "union.deskCsv": "Exporter en CSV",
  "union.deskReferenceCol": "Référence",
  "union.deskAmountCol": "Montant",
  "union.deskClaims": "Demandes adressées à ce guichet",
  "union.deskTokenLabel": "Jeton de guichet (remis par l’organisation de votre syndicat)",
  "union.deskClerkLabel": "Votre nom au guichet (gardé avec chaque paiement que vous marquez)",
  "union.deskLedgerOk":
    "{count, plural, =0 {Relié au registre du syndicat : aucune demande payée.} one {Relié au registre du syndicat : # demande payée.} other {Relié au registre du syndicat : # demandes payées.}}",
  "union.deskLedgerNeedsToken": "Saisissez le jeton de guichet pour voir ce qui est payé et marquer les paiements.",
  "union.deskLedgerDown":
    "Le registre du syndicat est injoignable : ne payez personne pour l’instant. Aucun paiement ne peut être marqué, et cette page ne peut pas savoir si une demande a déjà été payée à un autre guichet.",
  "union.deskLedgerRefused":
    "Le registre du syndicat a refusé ce jeton de guichet (voir ci-dessous) : ne payez personne tant que cette page n’y est pas reliée.",
  "union.deskLedgerNone":
    "Cette campagne n’indique aucun service syndical pour le registre du guichet : les marques « payé » ne peuvent pas être partagées, cette page ne marquera donc pas de paiement. Demandez à l’organisation.",
  "union.deskCheckTitle": "Vérifier un bon de guichet",
  "union.deskSlipLabel": "Bon de guichet (collez le texte, ou scannez son QR code avec votre téléphone et collez-le)",
  "union.deskIbanLabel": "IBAN du compte que vous allez payer",
  "union.deskHolderLabel": "Nom du ou de la titulaire du compte",
  "union.deskCheck": "Vérifier",
  "union.deskPay": "Payez {amount} à {holder}, IBAN {iban}.",
  "union.deskPayRef": "Demande {reference}",
  "union.deskMark": "Je l’ai payée : marquer payée",
  "union.deskMarked": "Marquée payée. Tous les postes de ce guichet la voient payée.",
  "union.deskMarkNeedsLedger":
    "Reliez-vous au registre du syndicat (jeton de guichet) avant de payer : sinon le paiement ne peut pas être marqué.",
  "union.deskMarkNeedsClerk": "Saisissez d’abord votre nom au guichet.",
  "union.desk.malformed":
    "Ce n’est pas un bon de guichet. Une référence ou une adresse ne suffit pas : demandez le bon fait depuis le reçu.",
  "union.desk.otherChain": "Ce bon est pour un autre réseau. Ne payez pas.",
  "union.desk.otherCampaign": "Ce bon est pour une autre campagne. Ne payez pas.",
  "union.desk.otherDesk":
    "Ce bon est pour un autre guichet. Ne payez pas : la personne bénéficiaire doit faire un bon pour ce guichet.",
  "union.desk.badSignature":
    "Ce bon n’a pas été fait par le reçu de la personne bénéficiaire (falsifié ou modifié). Ne payez pas.",
  "union.desk.bankMismatch":
    "Les coordonnées bancaires saisies ne sont pas celles que la personne bénéficiaire a signées. Vérifiez l’IBAN et le nom, ou demandez un nouveau bon ; ne payez pas un autre compte.",
  "union.desk.noClaim": "Aucune demande de ce reçu n’a été adressée à ce guichet (pour l’instant). Ne payez pas.",
  "union.desk.alreadyPaid": "Déjà payée le {when} par {clerk}. Ne payez pas une seconde fois.",
  "union.desk.ibanMissing": "Saisissez l’IBAN.",
  "union.desk.ibanCountry": "Cet IBAN ne commence pas par un code de pays connu (FR…, DE…).",
  "union.desk.ibanFormat": "Cet IBAN n’a pas la bonne longueur ou les bons caractères pour son pays.",
  "union.desk.ibanChecksum": "La clé de contrôle de cet IBAN est fausse : un caractère est mal saisi.",
  "union.desk.nameMissing": "Saisissez le nom du ou de la titulaire du compte.",
  "union.slipTitle": "Bon de guichet",
  "union.slipHelp":
    "Pour être payé·e par {desk}, saisissez le compte à payer et faites votre bon : montrez son QR code au guichet, ou envoyez le texte avec les mêmes coordonnées bancaires. Seul ce reçu peut le faire, et il ne paie que ce compte. Rien n’est gardé : refaites-le quand vous voulez.",
  "union.slipDesk": "Guichet",
  "union.slipMake": "Faire mon bon de guichet",
  "union.slipMade": "Votre bon pour {desk}, pour le compte {iban} ({holder}) :",
  "union.slipCopy": "Copier le texte",
  "union.slipCopied": "Copié.",
};
