import { type ForMail, forMail } from '../mail/mail-links.ts';
import type { WeeklyReportModel } from './report-model.ts';

/**
 * The report's model as its mail parts render it: every Domo string defanged ({@link forMail}),
 * but not the caller's command that lists a user's week (dig-into-user.ts), nor where it runs. That one is the
 * operator's, not Domo's, and it is there to be run: defanged, a lake at `/data/acme.io/lake` was
 * printed `acme[.]io/lake`, and the command failed with "there is no lake" (review R-REPORTID M1).
 * The id the mail appends to it is Domo's, and defanged with the rest.
 */
export function reportForMail(model: WeeklyReportModel): ForMail<WeeklyReportModel> {
  const { userActivityCommand, userActivityCommandWhere, ...domo } = model;
  const mail = forMail(domo as WeeklyReportModel);
  return {
    ...mail,
    ...(userActivityCommand === undefined ? {} : { userActivityCommand }),
    ...(userActivityCommandWhere === undefined ? {} : { userActivityCommandWhere }),
  };
}
