/** All instants are stored in UTC; people enter and read them in Asia/Jakarta (WIB, UTC+7). */
export const DISPLAY_TIME_ZONE = 'Asia/Jakarta';
