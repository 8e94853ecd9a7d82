/** verify: ICU MessageFormat strings, English and French. */
export const en = {
  "verify.verifyTitle": "Verify this campaign",
  "verify.addresses": "Addresses",
  "verify.campaignAddress": "Campaign (escrow)",
  "verify.factoryAddress": "Factory",
  "verify.organiser": "Organiser",
  "verify.eventLog": "Event log",
  "verify.recomputed": "Result recomputed in your browser from the events",
  "verify.matches": "Matches the contract",
  "verify.mismatch": "Does NOT match the contract",
  "verify.metadataOk": "Description matches its on-chain hash.",
  "verify.metadataBad": "Description does NOT match its on-chain hash.",
  "verify.metadataUnknown": "Description not loaded (only same-site or embedded descriptions are read).",
};

export const fr: typeof en = {
  "verify.verifyTitle": "Vérifier cette campagne",
  "verify.addresses": "Adresses",
  "verify.campaignAddress": "Campagne (séquestre)",
  "verify.factoryAddress": "Fabrique",
  "verify.organiser": "Organisateur",
  "verify.eventLog": "Journal des événements",
  "verify.recomputed": "Résultat recalculé dans votre navigateur à partir des événements",
  "verify.matches": "Correspond au contrat",
  "verify.mismatch": "Ne correspond PAS au contrat",
  "verify.metadataOk": "La description correspond à son empreinte sur la chaîne.",
  "verify.metadataBad": "La description ne correspond PAS à son empreinte sur la chaîne.",
  "verify.metadataUnknown": "Description non chargée (seules les descriptions du site ou intégrées sont lues).",
};
