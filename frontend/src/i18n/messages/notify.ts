/** notify: push notifications from the receipt page, and the feed and calendar links. */
export const en = {
  "notify.title": "Be told when it moves",
  "notify.intro":
    "Get a notification on this device when your threshold is reached (your pledge then binds), if it stops being reached before the deadline, when the result is final, the day before the action, and when the organiser publishes an announcement.",
  "notify.privacy":
    "If you turn this on, your browser's push service (Google for Chrome, Apple for Safari, Mozilla for Firefox) learns that this device follows this campaign. It cannot read the messages. Our notifier keeps only the campaign, your threshold and your language, never your pledge key. For no trace at all, follow the feed below instead.",
  "notify.lockScreen":
    "Notifications name the campaign and may show on your lock screen: if others see your phone, hide notification content in its settings.",
  "notify.button": "Notify me",
  "notify.busy": "Subscribing…",
  "notify.on":
    "Notifications are on for this campaign on this device, for your threshold of {threshold, plural, one {# person} other {# people}}.",
  "notify.stop": "Stop notifications",
  "notify.stopped": "Notifications are off for this campaign on this device.",
  "notify.unsupported":
    "This browser cannot receive notifications. Follow the feed or add the day to your calendar instead.",
  "notify.iosInstall":
    "On iPhone and iPad, notifications work once Bascule is on your Home Screen: tap Share, then “Add to Home Screen”, and open Bascule from there.",
  "notify.insecure": "Notifications need a secure (https) connection to this site.",
  "notify.denied":
    "Notifications are blocked for this site in your browser's settings. Allow them there, or follow the feed instead.",
  "notify.noNotifier":
    "This site has no notification service. Come back to the campaign page from time to time, or keep the calendar date.",
  "notify.permissionDenied": "You did not allow notifications: nothing was sent to the notifier.",
  "notify.subscribeFailed":
    "The browser could not subscribe to its push service. Try again, or follow the feed instead.",
  "notify.unreachable": "The notification service cannot be reached. Try again in a minute.",
  "notify.followTitle": "Follow without notifications",
  "notify.feed": "Atom feed (for a feed reader)",
  "notify.calendar": "Add the action day to my calendar (.ics)",
  "notify.feedPrivacy":
    "The feed and the calendar file are the same for everyone: the server keeps nothing about who reads them.",
  "notify.fediverse": "Follow from Mastodon or Mobilizon: {handle}",
  "notify.fediverseCopy": "Copy the address",
  "notify.fediverseCopied": "Copied",
  "notify.fediversePrivacy":
    "Search for this address from your account. Until the campaign is over, this site keeps the inbox address of each account that follows it, which can name you: better that your union follows it from one account for its whole instance (a Mobilizon instance, or one Mastodon account that boosts it).",
};

export const fr: typeof en = {
  "notify.title": "Être prévenu quand ça bouge",
  "notify.intro":
    "Recevez une notification sur cet appareil quand votre seuil est atteint (votre engagement compte alors), s’il cesse de l’être avant la date limite, quand le résultat est définitif, la veille de l’action, et quand l’organisation publie une annonce.",
  "notify.privacy":
    "Si vous l’activez, le service de notifications de votre navigateur (Google pour Chrome, Apple pour Safari, Mozilla pour Firefox) apprend que cet appareil suit cette campagne. Il ne peut pas lire les messages. Notre service de notifications ne garde que la campagne, votre seuil et votre langue, jamais votre clé d’engagement. Pour ne laisser aucune trace, suivez plutôt le fil ci-dessous.",
  "notify.lockScreen":
    "Les notifications nomment la campagne et peuvent s’afficher sur l’écran verrouillé : si d’autres voient votre téléphone, masquez le contenu des notifications dans ses réglages.",
  "notify.button": "Me prévenir",
  "notify.busy": "Abonnement…",
  "notify.on":
    "Les notifications sont activées pour cette campagne sur cet appareil, pour votre seuil de {threshold, plural, one {# personne} other {# personnes}}.",
  "notify.stop": "Arrêter les notifications",
  "notify.stopped": "Les notifications sont désactivées pour cette campagne sur cet appareil.",
  "notify.unsupported":
    "Ce navigateur ne peut pas recevoir de notifications. Suivez plutôt le fil, ou ajoutez la date à votre agenda.",
  "notify.iosInstall":
    "Sur iPhone et iPad, les notifications fonctionnent une fois Bascule sur l’écran d’accueil : touchez Partager, puis « Sur l’écran d’accueil », et ouvrez Bascule depuis l’écran d’accueil.",
  "notify.insecure": "Les notifications demandent une connexion sécurisée (https) à ce site.",
  "notify.denied":
    "Les notifications sont bloquées pour ce site dans les réglages de votre navigateur. Autorisez-les là, ou suivez plutôt le fil.",
  "notify.noNotifier":
    "Ce site n’a pas de service de notifications. Revenez voir la page de la campagne de temps en temps, ou gardez la date dans votre agenda.",
  "notify.permissionDenied":
    "Vous n’avez pas autorisé les notifications : rien n’a été envoyé au service de notifications.",
  "notify.subscribeFailed":
    "Le navigateur n’a pas pu s’abonner à son service de notifications. Réessayez, ou suivez plutôt le fil.",
  "notify.unreachable": "Le service de notifications est injoignable. Réessayez dans une minute.",
  "notify.followTitle": "Suivre sans notifications",
  "notify.feed": "Fil Atom (pour un lecteur de flux)",
  "notify.calendar": "Ajouter le jour de l’action à mon agenda (.ics)",
  "notify.feedPrivacy":
    "Le fil et le fichier d’agenda sont les mêmes pour tout le monde : le serveur ne garde rien sur qui les lit.",
  "notify.fediverse": "Suivre depuis Mastodon ou Mobilizon : {handle}",
  "notify.fediverseCopy": "Copier l’adresse",
  "notify.fediverseCopied": "Copié",
  "notify.fediversePrivacy":
    "Cherchez cette adresse depuis votre compte. Jusqu’à la fin de la campagne, ce site garde l’adresse de boîte de réception de chaque compte qui la suit, qui peut vous nommer : mieux vaut que votre syndicat la suive depuis un seul compte pour toute son instance (une instance Mobilizon, ou un compte Mastodon qui la relaie).",
};
