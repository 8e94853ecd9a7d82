/** receipt: ICU MessageFormat strings, English and French. */
export const en = {
  "receipt.receiptTitle": "Your pledge receipt",
  "receipt.receiptWarning":
    "Keep this receipt. It is the only key to your pledge: whoever has it can change, withdraw or claim it. If you lose it, you lose your pledge. Nobody, not even us, can recover it.",
  "receipt.receiptLink": "Receipt link",
  "receipt.copyLink": "Copy the link",
  "receipt.copied": "Copied",
  "receipt.downloadFile": "Download as a file",
  "receipt.receiptQr": "QR code of your receipt",
  "receipt.savedConfirm": "I have saved my receipt",
  "receipt.submitPledge": "Sign and send my pledge",
  "receipt.submitting": "Sending…",
  "receipt.queued": "Sent; waiting to be recorded on-chain…",
  "receipt.checkingChain": "The relayer has your pledge; checking that it is recorded on the network…",
  "receipt.confirmedPledge": "Your pledge is recorded.",
  "receipt.viaWallet": "The relayer is unavailable: send it with your wallet instead",
  "receipt.privacyNote":
    "Your pledge key was made in this browser and is never sent anywhere. The link keeps it after the # sign, which browsers never send to servers.",
  "receipt.myPledgeTitle": "My pledge",
  "receipt.pledgeLevel":
    "{threshold, plural, =1 {Pledged: I strike, whatever the number.} other {Pledged: if at least # people strike.}}",
  "receipt.pledgeNone": "This receipt has no pledge recorded yet: it was never sent.",
  "receipt.thresholdProgress":
    "{count, plural, =0 {None of the {threshold, number} you chose has pledged yet} one {# of the {threshold, number} you chose has pledged} other {# of the {threshold, number} you chose have pledged}}, counting those with your threshold or a lower one.",
  "receipt.thresholdReached":
    "Your number is reached: {count, plural, one {# person has pledged} other {# people have pledged}} with your threshold of {threshold, number} or a lower one.",
  "receipt.provisionalIn": "Right now your pledge would be triggered: you would be bound to strike.",
  "receipt.provisionalOut": "Right now your pledge would not be triggered.",
  "receipt.finalIn": "Final: your pledge is triggered. You are bound to strike.",
  "receipt.finalOut": "Final: your pledge is not triggered. You are free of it.",
  "receipt.changeLevel": "Change my threshold",
  "receipt.changeSubmit": "Change my pledge",
  "receipt.withdrawPledge": "Withdraw my pledge",
  "receipt.claimTitle": "Claim my support",
  "receipt.payee": "Pay to this address",
  "receipt.claimButton": "Claim (no ETH needed)",
  "receipt.claimedAlready": "Support already claimed.",
  "receipt.entitlementPending":
    "Your support of {amount} will be payable once the organisers publish the list of those who took part, by {date} at the latest. Come back then: the proof that you took part will be attached for you.",
  "receipt.entitlementNeedsProof":
    "The list of those who took part is published. If you are on it, you can claim {amount} until {date}. The proof is attached for you.",
  "receipt.entitlementDue": "You can claim {amount} until {date}.",
  "receipt.onList":
    "You are on the list of those who took part: you can claim {amount} until {date}. The proof is attached for you.",
  "receipt.notOnList":
    "The list of those who took part is published, and this receipt is not on it: the support of {amount} cannot be paid to it. If you did take part, ask the organisers now whether your check-in was recorded.",
  "receipt.entitlementExpired":
    "The time to claim ended on {date}: your support of {amount} can no longer be paid. It goes back to the donors.",
  "receipt.entitlementNoList":
    "The list of those who took part was not published in time ({date}): no support is paid. The donors take their money back.",
  "receipt.entitlementNoMoney": "No donation reached your threshold: there is no support to pay.",
  "receipt.proofAttached": "Proof of participation attached.",
  "receipt.badReceipt": "This receipt link is not valid.",
  "receipt.badReceiptFile":
    "This file is not a Bascule receipt, or it is damaged. Choose the file you downloaded when you pledged (its name ends in .json).",
  "receipt.unlockTitle": "Open a protected receipt",
  "receipt.unlockExplain":
    "This receipt link is protected by a passphrase. Type it to open your pledge; the key is decrypted on this device only.",
  "receipt.passphrase": "Passphrase",
  "receipt.unlockButton": "Open my receipt",
  "receipt.unlocking": "Checking the passphrase… {percent}",
  "receipt.unlockWrong": "Wrong passphrase, or the link is incomplete. Check both and try again.",
  "receipt.unlockGone":
    "This protected receipt link is no longer open in this tab: it is kept in memory only, never in the history. Open the link again.",
  "receipt.notKept":
    "This receipt is not kept on this device: an address ending in /my/… only opens on the device where the receipt was opened. Here, open your receipt link, your protected link or your receipt file, which hold your pledge's key; or go back to that device.",
  "receipt.notKeptOpenFile": "Open a receipt file on this device",
  "receipt.whereTitle": "Where each form of your receipt is kept",
  "receipt.whereDevice": "On this device: this browser keeps it until you remove it, and never sends it anywhere.",
  "receipt.whereLink":
    "Plain link: wherever you paste or send it; whoever gets it holds your pledge, and a browser that opens it may keep it in its history.",
  "receipt.whereLocked":
    "Protected link: safe in your notes, your e-mail or a message to yourself; it opens only with your passphrase, which you keep in your head.",
  "receipt.whereFile": "File: in your downloads, on this device, until you move or delete it.",
  "receipt.whereQr": "QR code: on this screen only, unless you photograph or print it.",
  "receipt.lockTitle": "Make a protected link",
  "receipt.lockExplain":
    "Choose a passphrase of at least 8 characters, a few words you will remember. Nobody can recover it for you.",
  "receipt.lockButton": "Make the protected link",
  "receipt.lockShort": "At least {count, plural, one {# character} other {# characters}}.",
  "receipt.locking": "Protecting… {percent}",
  "receipt.lockedLink": "Protected receipt link",
  "receipt.forget": "Remove this receipt from this device",
  "receipt.withdrawConfirmTitle": "Withdraw your pledge?",
  "receipt.withdrawConfirmText":
    "You will no longer be counted nor ask for support. Until the deadline you can pledge again with this same receipt.",
  "receipt.withdrawYes": "Yes, withdraw",
  "receipt.withdrawNo": "Keep my pledge",
  "receipt.withdrawn": "Your withdrawal is recorded. Until the deadline you can pledge again with this receipt.",
  "receipt.pledgeWithdrawnState": "You withdrew this pledge: you are not committed.",
  "receipt.pledgeAgain": "Pledge again",
  "receipt.supportAsked": "Support asked: {amount}.",
  "receipt.changed": "Your change is recorded.",
  "receipt.lockAhead":
    "Final lock from {date}: from then until the deadline, this pledge can no longer be withdrawn nor raised, only lowered.",
  "receipt.lockActive":
    "The final lock began on {date}: until the deadline you can lower your threshold or your support, but no longer withdraw this pledge nor raise it.",
  "receipt.lockSupportRaised": "Final lock: your support request can only go down, to {amount} at most.",
  "receipt.explorerTx": "See the transaction",
};

export const fr: typeof en = {
  "receipt.receiptTitle": "Votre reçu d’engagement",
  "receipt.receiptWarning":
    "Gardez ce reçu. C’est la seule clé de votre engagement : qui le détient peut le modifier, le retirer ou réclamer le soutien. Si vous le perdez, vous perdez votre engagement. Personne, pas même nous, ne peut le retrouver.",
  "receipt.receiptLink": "Lien du reçu",
  "receipt.copyLink": "Copier le lien",
  "receipt.copied": "Copié",
  "receipt.downloadFile": "Télécharger en fichier",
  "receipt.receiptQr": "QR code de votre reçu",
  "receipt.savedConfirm": "J’ai sauvegardé mon reçu",
  "receipt.submitPledge": "Signer et envoyer mon engagement",
  "receipt.submitting": "Envoi…",
  "receipt.queued": "Envoyé ; en attente d’enregistrement sur la chaîne…",
  "receipt.checkingChain": "Le relais a votre engagement ; vérification de son enregistrement sur le réseau…",
  "receipt.confirmedPledge": "Votre engagement est enregistré.",
  "receipt.viaWallet": "Le relais est indisponible : envoyez-le avec votre portefeuille",
  "receipt.privacyNote":
    "Votre clé d’engagement a été créée dans ce navigateur et n’est envoyée nulle part. Le lien la garde après le signe #, que les navigateurs n’envoient jamais aux serveurs.",
  "receipt.myPledgeTitle": "Mon engagement",
  "receipt.pledgeLevel":
    "{threshold, plural, =1 {Mon engagement : je fais grève, quel que soit le nombre.} other {Mon engagement : si au moins # personnes font grève.}}",
  "receipt.pledgeNone": "Ce reçu n’a encore aucun engagement enregistré : il n’a jamais été envoyé.",
  "receipt.thresholdProgress":
    "{count, plural, =0 {Personne ne s’est encore engagé pour votre seuil de {threshold, number}} one {# personne s’est engagée pour votre seuil de {threshold, number}} other {# personnes se sont engagées pour votre seuil de {threshold, number}}}, en comptant celles qui ont un seuil plus bas.",
  "receipt.thresholdReached":
    "Votre nombre est atteint : {count, plural, one {# personne s’est engagée} other {# personnes se sont engagées}} avec votre seuil de {threshold, number} ou un seuil plus bas.",
  "receipt.provisionalIn": "En ce moment, votre engagement serait déclenché : vous seriez tenu·e de faire grève.",
  "receipt.provisionalOut": "En ce moment, votre engagement ne serait pas déclenché.",
  "receipt.finalIn": "Résultat : votre engagement est déclenché. Vous êtes tenu·e de faire grève.",
  "receipt.finalOut": "Résultat : votre engagement n’est pas déclenché. Vous en êtes libéré·e.",
  "receipt.changeLevel": "Changer mon seuil",
  "receipt.changeSubmit": "Modifier mon engagement",
  "receipt.withdrawPledge": "Retirer mon engagement",
  "receipt.claimTitle": "Réclamer mon soutien",
  "receipt.payee": "Verser à cette adresse",
  "receipt.claimButton": "Réclamer (sans ETH)",
  "receipt.claimedAlready": "Soutien déjà réclamé.",
  "receipt.entitlementPending":
    "Votre soutien de {amount} sera versable dès que les organisateurs auront publié la liste des participant·es, au plus tard le {date}. Revenez à ce moment-là : la preuve de votre participation sera jointe pour vous.",
  "receipt.entitlementNeedsProof":
    "La liste des participant·es est publiée. Si vous y figurez, vous pouvez réclamer {amount} jusqu’au {date}. La preuve est jointe pour vous.",
  "receipt.entitlementDue": "Vous pouvez réclamer {amount} jusqu’au {date}.",
  "receipt.onList":
    "Vous figurez sur la liste des participant·es : vous pouvez réclamer {amount} jusqu’au {date}. La preuve est jointe pour vous.",
  "receipt.notOnList":
    "La liste des participant·es est publiée, et ce reçu n’y figure pas : le soutien de {amount} ne peut pas lui être versé. Si vous avez bien participé, demandez dès maintenant aux organisateurs si votre pointage a été enregistré.",
  "receipt.entitlementExpired":
    "Le délai pour réclamer a pris fin le {date} : votre soutien de {amount} ne peut plus être versé. Il revient aux donateurs et donatrices.",
  "receipt.entitlementNoList":
    "La liste des participant·es n’a pas été publiée à temps ({date}) : aucun soutien n’est versé. Les donateurs et donatrices reprennent leur argent.",
  "receipt.entitlementNoMoney": "Aucun don n’a atteint votre seuil : il n’y a pas de soutien à verser.",
  "receipt.proofAttached": "Preuve de participation jointe.",
  "receipt.badReceipt": "Ce lien de reçu n’est pas valide.",
  "receipt.badReceiptFile":
    "Ce fichier n’est pas un reçu Bascule, ou il est abîmé. Choisissez le fichier téléchargé au moment de votre engagement (son nom finit par .json).",
  "receipt.unlockTitle": "Ouvrir un reçu protégé",
  "receipt.unlockExplain":
    "Ce lien de reçu est protégé par une phrase secrète. Tapez-la pour ouvrir votre engagement ; la clé n’est déchiffrée que sur cet appareil.",
  "receipt.passphrase": "Phrase secrète",
  "receipt.unlockButton": "Ouvrir mon reçu",
  "receipt.unlocking": "Vérification de la phrase secrète… {percent}",
  "receipt.unlockWrong": "Phrase secrète erronée, ou lien incomplet. Vérifiez les deux et réessayez.",
  "receipt.unlockGone":
    "Ce lien de reçu protégé n’est plus ouvert dans cet onglet : il n’est gardé qu’en mémoire, jamais dans l’historique. Ouvrez le lien à nouveau.",
  "receipt.notKept":
    "Ce reçu n’est pas gardé sur cet appareil : une adresse finissant par /my/… ne s’ouvre que sur l’appareil où le reçu a été ouvert. Ici, ouvrez votre lien de reçu, votre lien protégé ou votre fichier de reçu, qui contiennent la clé de votre engagement ; ou revenez sur cet appareil-là.",
  "receipt.notKeptOpenFile": "Ouvrir un fichier de reçu sur cet appareil",
  "receipt.whereTitle": "Où chaque forme de votre reçu est gardée",
  "receipt.whereDevice":
    "Sur cet appareil : ce navigateur le garde jusqu’à ce que vous le supprimiez, et ne l’envoie nulle part.",
  "receipt.whereLink":
    "Lien simple : là où vous le collez ou l’envoyez ; qui l’obtient détient votre engagement, et un navigateur qui l’ouvre peut le garder dans son historique.",
  "receipt.whereLocked":
    "Lien protégé : sans risque dans vos notes, vos e-mails ou un message à vous-même ; il ne s’ouvre qu’avec votre phrase secrète, que vous gardez en tête.",
  "receipt.whereFile":
    "Fichier : dans vos téléchargements, sur cet appareil, jusqu’à ce que vous le déplaciez ou l’effaciez.",
  "receipt.whereQr": "QR code : sur cet écran seulement, sauf si vous le photographiez ou l’imprimez.",
  "receipt.lockTitle": "Créer un lien protégé",
  "receipt.lockExplain":
    "Choisissez une phrase secrète d’au moins 8 caractères, quelques mots dont vous vous souviendrez. Personne ne peut la retrouver pour vous.",
  "receipt.lockButton": "Créer le lien protégé",
  "receipt.lockShort": "Au moins {count, plural, one {# caractère} other {# caractères}}.",
  "receipt.locking": "Protection… {percent}",
  "receipt.lockedLink": "Lien de reçu protégé",
  "receipt.forget": "Retirer ce reçu de cet appareil",
  "receipt.withdrawConfirmTitle": "Retirer votre engagement ?",
  "receipt.withdrawConfirmText":
    "Vous ne serez plus compté·e et ne demanderez plus de soutien. Jusqu’à la date limite, vous pourrez vous réengager avec ce même reçu.",
  "receipt.withdrawYes": "Oui, retirer",
  "receipt.withdrawNo": "Garder mon engagement",
  "receipt.withdrawn": "Votre retrait est enregistré. Jusqu’à la date limite, vous pouvez vous réengager avec ce reçu.",
  "receipt.pledgeWithdrawnState":
    "Vous avez retiré cet engagement : vous n’êtes ni engagé·e, ni tenu·e de faire grève.",
  "receipt.pledgeAgain": "Me réengager",
  "receipt.supportAsked": "Soutien demandé : {amount}.",
  "receipt.changed": "Votre modification est enregistrée.",
  "receipt.lockAhead":
    "Verrou final à partir du {date} : dès lors et jusqu’à la date limite, cet engagement ne pourra plus être retiré ni relevé, seulement baissé.",
  "receipt.lockActive":
    "Le verrou final a commencé le {date} : jusqu’à la date limite, vous pouvez baisser votre seuil ou votre soutien, mais plus retirer cet engagement ni le relever.",
  "receipt.lockSupportRaised": "Verrou final : votre demande de soutien peut seulement baisser, à {amount} au plus.",
  "receipt.explorerTx": "Voir la transaction",
};
