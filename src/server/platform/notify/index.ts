/**
 * The notify block: what the rest of the server may use.
 *
 *   await platform.notify.send(ctx, {
 *     template: 'dossier.received', channel: 'sms', to: applicant.phone,
 *     vars: { fullName, dossierCode, procedureName, receivedAt, dueDate },
 *     target: { type: 'dossier', id: dossier.id }, scope: dossier.agencyPath,
 *   }, tx);
 */
export {
  type Channel,
  type Channels,
  createChannels,
  LocalChannel,
  type OutgoingMessage,
  SmtpChannel,
} from './notify.channels';
export {
  type ChannelName,
  channelNames,
  escapeHtml,
  maskRecipient,
  normaliseRecipient,
  placeholders,
  renderTemplate,
  type TemplateVars,
} from './notify.render';
export { registerNotifyRoutes } from './notify.routes';
export {
  createNotifier,
  DELIVER_JOB,
  type DeliveryResult,
  type Notifier,
  type NotifierDeps,
  type NotifyInput,
} from './notify.service';
