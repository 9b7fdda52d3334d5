/** The parent key a chat's messages are listed under (and go to the trash and come back with it). */
export const chatMessagesKey = (chatId: number) => `chat#${chatId}#message`;
