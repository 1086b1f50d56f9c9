/** What an entry of an image that is not a regular file is, as the engine's archive names it (`directory`, `symlink`…). */
import { t } from '../basics/i18n/catalogue.js';

/** The archive's type name in the grading's language; an unknown one as it is. */
export function describeImageEntryType(type: string): string {
  switch (type) {
    case 'directory':
      return t('probe.file_type.directory');
    case 'symlink':
      return t('probe.file_type.symlink');
    case 'link':
      return t('probe.file_type.link');
    case 'character-device':
      return t('probe.file_type.character_device');
    case 'block-device':
      return t('probe.file_type.block_device');
    case 'fifo':
      return t('probe.file_type.fifo');
    default:
      return type;
  }
}
